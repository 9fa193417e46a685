"""Apply Alembic migrations, then grant the app role what it needs (and no more)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(migration_url: str) -> Config:
    """An Alembic config built in code: no ini file to keep in sync."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", migration_url.replace("%", "%%"))
    return config


async def _grant_app_role(migration_url: str, app_url: str) -> None:
    app_role = make_url(app_url).username
    if not app_role or app_role == make_url(migration_url).username:
        return
    engine = create_async_engine(migration_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{app_role}"'))
            await conn.execute(
                text(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                    f'TO "{app_role}"'
                )
            )
            await conn.execute(
                text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"')
            )
            await conn.execute(text(f'REVOKE ALL ON TABLE alembic_version FROM "{app_role}"'))
    finally:
        await engine.dispose()


def upgrade(migration_url: str, app_url: str, revision: str = "heads") -> None:
    """Bring the schema to ``revision`` and grant DML on it to the app role."""
    command.upgrade(alembic_config(migration_url), revision)
    asyncio.run(_grant_app_role(migration_url, app_url))
