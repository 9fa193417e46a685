"""The clients one routing process shares, built once by its composition root."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from redis.asyncio import Redis

from media_plane.callbacks.bridge import CallEventSink
from media_plane.callbacks.originator import KamailioCallbackOriginator
from media_plane.rtpengine.client import RtpengineClient
from routing.call_control.continue_client import ContinueClient
from routing.call_control.dispatcher import Dispatcher
from routing.call_control.originate import CallbackOriginator, HttpOriginator, NoOriginator
from routing.classification import CallerClassifier, NoCrmClassifier
from routing.crm_classifier import CrmCallerClassifier
from routing.engine.engine import AcdEngine
from routing.metrics import RoutingMetrics
from tenants.crm.settings.regions import RegionCache
from tenants.database.session import Database
from tenants.redis_connection import connect_pooled
from tenants.secrets import call_control_secret
from tenants.settings import Settings


@dataclass
class RoutingServices:
    """Redis, the engine, the continue client, the classifier and the metrics."""

    settings: Settings
    redis: Redis
    engine: AcdEngine
    http: httpx.AsyncClient
    dispatcher: Dispatcher
    classifier: CallerClassifier
    metrics: RoutingMetrics
    secret: str
    rtpengine: RtpengineClient
    """The local rtpengine node: music on hold for queued callers."""
    database: Database | None = None

    @classmethod
    def build(
        cls, settings: Settings, *, classifier: CallerClassifier | None = None
    ) -> RoutingServices:
        """Connect lazily to ``settings.redis.url``.

        Without an injected ``classifier``, callers are classified by the CRM
        (``CrmCallerClassifier``) when ``settings.database.url`` is set, else all unknown.
        """
        if not settings.redis.url:
            raise RuntimeError("HOTLINE_REDIS_URL is required (or use `hotline up`)")
        # A blocking pool queues bursts instead of failing them with "Too many connections".
        redis = connect_pooled(
            settings.redis.url, max_connections=settings.routing.redis_max_connections, timeout=5
        )
        metrics = RoutingMetrics(redis, tenant_label_cap=settings.metrics.tenant_label_cap)
        engine = AcdEngine(
            redis,
            observer=metrics.observe,
            outbox_lease_s=settings.routing.outbox_lease_s,
            max_call_s=settings.routing.max_call_duration_s,
        )
        # Callback origination only (rare); continue requests have their own, leaner client.
        http = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=32)
        )
        continues = ContinueClient(max_connections=32)
        database = None
        if classifier is None and settings.database.url:
            database = Database(settings.database.url, pool_size=settings.database.pool_size)
            classifier = CrmCallerClassifier(database, RegionCache())
        dispatcher = Dispatcher(
            engine,
            continues,
            settings.routing,
            sip_domain=settings.routing.sip_domain or settings.kamailio.sip_domain,
        )
        dispatcher.originator = callback_originator(settings, http, dispatcher.call_event)
        dispatcher.give_ups = metrics.reconcile.give_ups
        return cls(
            settings=settings,
            redis=redis,
            engine=engine,
            http=http,
            dispatcher=dispatcher,
            classifier=classifier or NoCrmClassifier(),
            metrics=metrics,
            secret=call_control_secret(settings),
            rtpengine=RtpengineClient(
                settings.rtpengine.ng_host,
                settings.rtpengine.ng_port,
                timeout=settings.rtpengine.timeout_seconds,
                retries=settings.rtpengine.retries,
            ),
            database=database,
        )

    async def close(self) -> None:
        """Finish in-flight continue requests, hang up callbacks, then release connections."""
        await self.dispatcher.drain()
        if isinstance(self.dispatcher.originator, KamailioCallbackOriginator):
            await self.dispatcher.originator.aclose()
        await self.dispatcher.http.aclose()
        await self.http.aclose()
        await self.rtpengine.aclose()
        await self.redis.aclose()
        if self.database is not None:
            await self.database.dispose()


def callback_originator(
    settings: Settings, http: httpx.AsyncClient, report: CallEventSink
) -> CallbackOriginator:
    """Who dials callbacks: an explicit HTTP endpoint (the simulator's node) first, else the
    media plane when Kamailio has a callback gateway set, else nobody."""
    if settings.routing.callback_originate_url:
        return HttpOriginator(http, settings.routing.callback_originate_url)
    k, r = settings.kamailio, settings.rtpengine
    if k.callback_gateway_set is not None:
        return KamailioCallbackOriginator(
            rtpengine=RtpengineClient(
                r.ng_host, r.ng_port, timeout=r.timeout_seconds, retries=r.retries
            ),
            proxy=(k.sip_host, k.sip_port),
            report=report,
            local_host=settings.routing.callback_sip_host,
        )
    return NoOriginator()
