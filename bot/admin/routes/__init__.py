"""The admin's routes, one APIRouter per area; bot.admin.app includes them all (`ROUTERS`)."""
from __future__ import annotations

from bot.admin.routes import answers, auth, insight, services, translations

ROUTERS = (auth.router, answers.router, translations.router, services.router, insight.router)
