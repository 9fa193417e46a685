"""Telephony control: Kamailio, rtpengine, recordings."""
