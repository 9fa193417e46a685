"""Telephony control: Kamailio and rtpengine clients and processes, node registry, SIP
(``media_plane/sip``), call control, recordings."""
