"""The one error map of the rtpengine ng client."""

from __future__ import annotations


class RtpengineError(Exception):
    """rtpengine answered ``result != ok`` (``error-reason`` in ``reason``)."""

    def __init__(self, reason: str, *, command: str = "") -> None:
        super().__init__(f"{command}: {reason}" if command else reason)
        self.reason = reason
        self.command = command


class RtpengineUnavailable(RtpengineError):
    """No reply from the node after every retry."""

    def __init__(self, address: str, reason: str, *, command: str = "") -> None:
        super().__init__(f"rtpengine at {address} unavailable: {reason}", command=command)
        self.address = address
