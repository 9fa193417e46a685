"""Kamailio: the typed JSON-RPC client and the rendered config."""

from media_plane.kamailio.client import (
    ActiveDialogStats,
    Dialog,
    DispatcherTarget,
    KamailioRpcClient,
    RtpengineNodeStatus,
)
from media_plane.kamailio.errors import KamailioError, KamailioRpcError, KamailioUnavailable

__all__ = [
    "ActiveDialogStats",
    "Dialog",
    "DispatcherTarget",
    "KamailioError",
    "KamailioRpcClient",
    "KamailioRpcError",
    "KamailioUnavailable",
    "RtpengineNodeStatus",
]
