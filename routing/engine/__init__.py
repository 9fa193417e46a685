"""ACD state in Redis, changed only by atomic Lua scripts that also write the events."""
