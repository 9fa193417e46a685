"""Media-node liveness and reconciliation of routing's calls with the media plane."""
