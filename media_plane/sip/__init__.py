"""SIP as Hotline speaks it: one message parser, the UDP socket and dialogs of the legs it
places itself (listen-in, callbacks), agents' ephemeral credentials, and SDP helpers."""
