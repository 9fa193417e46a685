"""ASGI entry for ``uvicorn routing.asgi:app`` (settings from the environment)."""

from routing.call_control.app import create_routing_app
from tenants.settings import Settings

app = create_routing_app(Settings())
