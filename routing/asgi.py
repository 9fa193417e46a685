"""ASGI entry for ``uvicorn routing.asgi:app`` (settings from the environment)."""

import logging

from routing.call_control.app import create_routing_app
from tenants.settings import Settings

settings = Settings()
# uvicorn configures only its own loggers; routing's (callbacks, dispatch) log at this level.
logging.basicConfig(
    level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
)
app = create_routing_app(settings)
