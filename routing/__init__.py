"""The routing tier: the ACD whose state lives in Redis, and its call-control API."""
