"""ASGI entry for ``hotline api`` workers: settings from the environment."""

from api.app import create_app
from tenants.settings import Settings

app = create_app(Settings())
