"""Virtual callers and agents that drive the call-control API like Kamailio would."""
