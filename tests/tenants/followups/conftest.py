"""Follow-up tasks are filled by analytics' worker from routing's events, so their tests
publish events and drain a worker with analytics' fixtures."""

from __future__ import annotations

from tests.analytics.conftest import make_worker, publish, redis, streams_set

__all__ = ["make_worker", "publish", "redis", "streams_set"]
