"""Texts for people, in Dutch and English, from gettext message catalogs.

A text a person reads is written in English in the code, marked with `_()` (or `N_()` where
only the English string is needed now and the translation happens later), and translated from
`locales/<lang>/LC_MESSAGES/messages.po` when it is shown. Adding a language is a translator's
job: a new `.po` file, no code change. `scripts/i18n.py` extracts the texts and updates the
catalogs; `tests/unit/i18n/` checks that every text has its Dutch translation.

`_()` returns a `Message`: a `str` that reads as the English text (so logs, JSON and tests see
English) and remembers its msgid and parameters, so `translate(text, lang)` can render it in
another language later, after it has travelled through guards, errors and views.
"""

from __future__ import annotations

from engine.i18n._catalog import (
    LANGS,
    N_,
    Message,
    _,
    catalog,
    gettext,
    label_map,
    negotiate,
    translate,
)

__all__ = [
    "LANGS",
    "N_",
    "Message",
    "_",
    "catalog",
    "gettext",
    "label_map",
    "negotiate",
    "translate",
]
