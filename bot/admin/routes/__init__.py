"""The admin's routes, one APIRouter per area; bot.admin.app includes them all (`ROUTERS`)."""
from __future__ import annotations

from bot.admin.routes import accounts, answers, audit, auth, desk, insight, mentors, services, supervision, translations

ROUTERS = (auth.router, answers.router, translations.router, services.router, insight.router, mentors.router,
           desk.router, supervision.router, audit.router, accounts.router)
