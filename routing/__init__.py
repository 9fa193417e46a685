"""The routing tier: configuration in PostgreSQL, the ACD in Redis, its call-control API."""
