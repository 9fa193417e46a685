"""Skills: what queues require and agents hold, with levels."""
