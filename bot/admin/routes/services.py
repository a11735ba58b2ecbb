"""The service directory (GP practices, out-of-hours services, interpreters, ...): list, add, change
(bot.admin.service.save_service, audited; the bot lists the places within seconds)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select

from bot.admin import service
from bot.admin.deps import MAX_ID, EditorUser, SessionDep
from bot.admin.pages import error_page, render
from common.db.models import Service

router = APIRouter(tags=["services"])


class ServiceForm(BaseModel):
    """The directory form of services.html, as posted (service.save_service validates it). An unticked
    checkbox sends nothing, so `active` is empty then."""

    id: str = ""
    kind: str = ""
    name: str = ""
    country: str = ""
    city: str = ""
    address: str = ""
    phone: str = ""
    opening_hours: str = ""
    languages: str = ""
    url: str = ""
    active: str = ""


@router.get("/services", response_class=HTMLResponse)
def services(request: Request, db: SessionDep, user: EditorUser,
             edit: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    rows = db.scalars(select(Service).order_by(Service.country, Service.city, Service.kind, Service.name)).all()
    editing = db.get(Service, edit) if edit else None
    if edit and editing is None:
        return error_page(request, 404, "There is no such directory entry.")
    return render(request, "services.html", rows=rows, editing=editing, kinds=service.SERVICE_KINDS)


@router.post("/services")
def services_save(request: Request, db: SessionDep, user: EditorUser, form: Annotated[ServiceForm, Form()]) -> Response:
    fields = form.model_dump()
    service_id = None
    if form.id:  # only ASCII digits of an id that exists ("²" is a digit to str.isdigit, not to int())
        if not (form.id.isascii() and form.id.isdigit() and 0 < int(form.id) <= MAX_ID):
            return error_page(request, 422, "Not a valid directory entry.")
        service_id = int(form.id)
        if db.get(Service, service_id) is None:
            return error_page(request, 404, "There is no such directory entry.")
    try:
        service.save_service(db, user.username, service_id, fields)
    except service.ValidationError as error:
        db.rollback()
        rows = db.scalars(select(Service).order_by(Service.country, Service.city, Service.name)).all()
        return render(request, "services.html", status_code=422, rows=rows, editing=None, problems=error.problems,
                      kinds=service.SERVICE_KINDS, entered=fields)
    db.commit()
    return RedirectResponse("/services?saved=1", status_code=303)
