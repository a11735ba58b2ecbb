"""Translators' workflow: per language, export the catalog as a .po file and import a translated one
(validated entry by entry, applied whole or not at all: bot.admin.service.import_po). Babel's parsing is
blocking work, so the routes are plain `def` (FastAPI runs them in its thread pool)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile as StarletteUploadFile

from bot.admin import service
from bot.admin.deps import EditorUser, SessionDep
from bot.admin.pages import error_page, render
from common import content

router = APIRouter(tags=["translations"])
MAX_PROBLEMS = 200  # listed on the page; a file with more is wrong throughout anyway


def translatable(language: str) -> bool:
    """A language with a catalog (English is the source)."""
    return language in content.languages() and language != service.SOURCE_LANGUAGE


@router.get("/translations", response_class=HTMLResponse)
def translations(request: Request, user: EditorUser) -> Response:
    return render(request, "translations.html")


@router.get("/translations/{language}.po")
def translations_export(request: Request, db: SessionDep, user: EditorUser, language: str) -> Response:
    if not translatable(language):
        return error_page(request, 404, "There is no catalog for that language.")
    data = service.export_po(db, language)
    filename = f"brobygger-{content.languages()[language].code}.po"  # from the list of languages, not from the URL
    return Response(data, media_type="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/translations/{language}", response_class=HTMLResponse)
def translations_import(
    request: Request, db: SessionDep, user: EditorUser, language: str, file: Annotated[UploadFile | str | None, File()] = None,
) -> Response:
    if not translatable(language):
        return error_page(request, 404, "There is no catalog for that language.")
    # a text field in place of the file imports nothing (as before); FastAPI closes the upload's temporary file
    raw = file.file.read() if isinstance(file, StarletteUploadFile) else b""  # what FastAPI passes with a union
    try:
        changed = service.import_po(db, user.username, language, raw)
    except service.ValidationError as error:
        db.rollback()  # all or nothing
        problems = error.problems[:MAX_PROBLEMS]
        if len(error.problems) > MAX_PROBLEMS:
            problems.append(f"... and {len(error.problems) - MAX_PROBLEMS:,} more problems.")
        return render(request, "translations.html", status_code=422, language=language, problems=problems)
    db.commit()
    return render(request, "translations.html", language=language, imported=changed)
