"""Answers: every topic per country and language; editors save a draft and publish it (bot.admin.service)."""
from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.admin import service
from bot.admin.deps import EditorUser, SessionDep
from bot.admin.pages import error_page, render
from common import content

router = APIRouter(tags=["answers"])


@router.get("/answers", response_class=HTMLResponse)
def answers(request: Request, db: SessionDep, user: EditorUser, language: str = "en") -> Response:
    language = language if language in content.languages() else "en"
    everything = service.all_answers(db)  # every language once: the list and the per-language warnings
    views = [view for view in everything if view.language == language]
    counts: dict = {}
    for view in everything:
        counts.setdefault(view.language, Counter())[view.status] += 1
    return render(request, "answers.html", views=views, language=language, counts=counts)


@router.get("/answers/{topic}/{country}/{language}", response_class=HTMLResponse)
def answer(request: Request, db: SessionDep, user: EditorUser, topic: str, country: str, language: str) -> Response:
    if not service.known_answer(topic, country, language):
        return error_page(request, 404, "There is no such answer: check the topic, the country and the language.")
    view = service.answer_view(db, topic, country, language)
    source = service.answer_view(db, topic, country, "en")
    return render(request, "answer.html", view=view, source=source, numbers=content.numbers(country),
                  filled=content.fill(view.text, country))


@router.post("/answers/{topic}/{country}/{language}")
def answer_save(
    request: Request, db: SessionDep, user: EditorUser, topic: str, country: str, language: str,
    text: Annotated[str, Form()] = "", source_name: Annotated[str, Form()] = "", source_url: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
) -> Response:
    if not service.known_answer(topic, country, language):
        return error_page(request, 404, "There is no such answer: check the topic, the country and the language.")
    try:
        service.save_draft(db, user.username, topic, country, language, text, source_name, source_url)
        if action == "publish":
            service.publish(db, user.username, topic, country, language)
    except service.ValidationError as error:
        db.rollback()
        view = service.answer_view(db, topic, country, language)
        view.draft = text
        return render(request, "answer.html", status_code=422, view=view, problems=error.problems,
                      source=service.answer_view(db, topic, country, "en"), numbers=content.numbers(country))
    db.commit()
    return RedirectResponse(f"/answers/{topic}/{country}/{language}?saved=1", status_code=303)
