"""A TCP relay in front of moto that a test can cut mid-transfer (S3 going down)."""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttableProxy:
    """Relays 127.0.0.1:<port> to an upstream port; ``cut_after`` drops everything once
    that many request bytes went upstream, and refuses connections until ``restore``."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(64)
        self._lock = threading.Lock()
        self._connections: list[socket.socket] = []
        self._sent = 0
        self._limit: int | None = None
        self.down = False
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut_after(self, nbytes: int) -> None:
        with self._lock:
            self._sent = 0
            self._limit = nbytes

    def restore(self) -> None:
        with self._lock:
            self._limit = None
            self.down = False

    def close(self) -> None:
        self._closed = True
        self._drop_all()
        with contextlib.suppress(OSError):
            self.listener.close()

    def _drop_all(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                conn.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, upstream: bool) -> None:
        try:
            while data := source.recv(65536):
                if upstream:
                    with self._lock:
                        self._sent += len(data)
                        tripped = self._limit is not None and self._sent > self._limit
                        if tripped:
                            self.down = True
                    if tripped:
                        self._drop_all()
                        return
                target.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (source, target):
                with contextlib.suppress(OSError):
                    conn.close()
