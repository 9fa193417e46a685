"""Imports every domain's models so Alembic sees the whole schema in one metadata."""

from analytics import models as _analytics  # noqa: F401
from analytics.quality import models as _quality  # noqa: F401
from media_plane.prompts import models as _prompts  # noqa: F401
from media_plane.recordings import models as _recordings  # noqa: F401
from routing.break_reasons import models as _break_reasons  # noqa: F401
from routing.config import models as _routing_config  # noqa: F401
from routing.dispositions import models as _dispositions  # noqa: F401
from routing.flows import models as _flows  # noqa: F401
from tenants.crm import models as _crm  # noqa: F401
from tenants.database.base import Base
from tenants.followups import models as _followups  # noqa: F401
from tenants.identity import models as _identity  # noqa: F401
from tenants.notifications import models as _notifications  # noqa: F401
from tenants.tickets import models as _tickets  # noqa: F401

metadata = Base.metadata
