"""The admin's routes, one APIRouter per area; bot.admin.app includes them all (`ROUTERS`)."""
from __future__ import annotations

from bot.admin.routes import accounts, answers, audit, auth, care, desk, insight, knowledge, mentors, services, supervision, translations

ROUTERS = (auth.router, answers.router, knowledge.router, translations.router, services.router, insight.router,
           mentors.router, care.router, desk.router, supervision.router, audit.router, accounts.router)
