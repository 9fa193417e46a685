"""A real moto S3 server over HTTP on a free loopback port, restartable to fake outages."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from tenants.embedded.process import free_port
from tenants.settings import S3Settings


class MotoS3:
    """moto's S3 server, which a test may stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server: ThreadedMotoServer | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        raise TimeoutError("moto server did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def settings(self, **overrides: object) -> S3Settings:
        values: dict[str, object] = {
            "endpoint_url": self.endpoint_url,
            "bucket": f"rec-{uuid.uuid4().hex[:12]}",
            "access_key_id": "testing",
            "secret_access_key": SecretStr("testing"),
            "create_bucket": True,
            "timeout_seconds": 2.0,
        }
        values.update(overrides)
        return S3Settings(**values)


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[MotoS3]:
    """One moto server for the run (tests use their own buckets)."""
    server = MotoS3()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def running_moto(moto_s3: MotoS3) -> Iterator[MotoS3]:
    """The moto server, restarted after the test if the test stopped it."""
    yield moto_s3
    if moto_s3._server is None:
        moto_s3.start()
