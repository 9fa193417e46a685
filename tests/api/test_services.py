"""The composition root's client bundle is what every room's GraphQL expects of it."""

from __future__ import annotations

from api.clients import ApiServices
from media_plane.graphql import MediaServices
from media_plane.recordings.store import RecordingServices
from routing.config.directory import RoutingDirectory
from routing.config.edge import RoutingConfigServices
from routing.engine.engine import AcdEngine
from routing.live.graphql import RoutingServicesView
from tenants.screen_pop.graphql import ScreenPopServices


def test_api_services_offer_every_rooms_clients(services: ApiServices) -> None:
    for view in (
        MediaServices,
        RecordingServices,
        RoutingConfigServices,
        RoutingServicesView,
        ScreenPopServices,
    ):
        assert isinstance(services, view), view.__name__
    assert isinstance(services.engine, AcdEngine)
    assert services.engine.redis is services.redis
    assert isinstance(services.directory, RoutingDirectory)
