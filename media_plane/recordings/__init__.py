"""Recordings: rtpengine's pcap spool → stereo audio → object storage → a row and an event."""
