"""Insight for supervisors (bot.admin.insight): hand-off figures, topics per language, messages the bot did not
understand, for a date range; each table also as CSV."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bot.admin import insight
from bot.admin.deps import SessionDep, SupervisorUser, TrackerDep
from bot.admin.pages import render
from common.strings.assistant import TOPIC_TITLES

router = APIRouter(tags=["insight"])


def period(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """The first day and the day after the last (the end day is included); the last 30 days if unreadable."""
    today = dt.datetime.now(dt.timezone.utc).date()
    try:
        first = dt.date.fromisoformat(start) if start else today - dt.timedelta(days=30)
        last = dt.date.fromisoformat(end) if end else today
    except ValueError:
        first, last = today - dt.timedelta(days=30), today
    return first, last + dt.timedelta(days=1)


@router.get("/insight", response_class=HTMLResponse)
def insight_page(request: Request, db: SessionDep, tracker: TrackerDep, user: SupervisorUser,
                 start: str | None = None, end: str | None = None) -> Response:
    first, after = period(start, end)
    data = insight.collect(db, tracker, first, after)
    return render(request, "insight.html", data=data, start=first.isoformat(),
                  end=(after - dt.timedelta(days=1)).isoformat(), titles=TOPIC_TITLES)


@router.get("/insight.csv")
def insight_csv(db: SessionDep, tracker: TrackerDep, user: SupervisorUser, table: str = "topics",
                start: str | None = None, end: str | None = None) -> Response:
    first, after = period(start, end)
    data = insight.collect(db, tracker, first, after)
    return Response(insight.to_csv(data, table), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="brobygger-{table}-{first}.csv"'})
