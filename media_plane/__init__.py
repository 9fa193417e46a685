"""Telephony control: Kamailio and rtpengine clients, node registry, supervision, call
control, recordings."""
