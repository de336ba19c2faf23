"""The server-rendered pages: the coordinator's overdue overview, the case page and the
social map."""

from __future__ import annotations

import pathlib

import jinja2
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from engine.pages import _cases, _documents, _export, _overview, _partner, _socialmap
from engine.pages._routes import TEMPLATES, router


def install(api: FastAPI) -> None:
    """Add the pages under /ui and their stylesheet under /ui/static."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    # English until a page puts its request's `_` (engine.pages._i18n.gettext) in the context.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    api.state.page_templates = Jinja2Templates(env=env)
    api.include_router(router)
    api.include_router(_cases.router)
    api.include_router(_overview.router)
    api.include_router(_socialmap.router)
    api.include_router(_export.router)
    api.include_router(_documents.router)
    api.include_router(_partner.router)
    static = pathlib.Path(__file__).parent / "static"
    api.mount("/ui/static", StaticFiles(directory=static), name="pages_static")


__all__ = ["install"]
