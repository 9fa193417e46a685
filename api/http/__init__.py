"""HTTP plumbing: body limits, request metrics, ops endpoints."""
