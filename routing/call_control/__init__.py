"""The call-control HTTP API that Kamailio (and the simulator) call."""
