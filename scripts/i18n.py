"""Bring the message catalogs up to date with the texts in the code.

    python scripts/i18n.py          # add new texts (untranslated), drop unused ones
    python scripts/i18n.py --check  # list what is missing or untranslated; exit 1 if any

Then translate the empty `msgstr ""` entries in engine/i18n/locales/nl/LC_MESSAGES/messages.po
(English needs none: its msgids are the texts). A new language: create its directory and run
this script; `engine.i18n.LANGS` lists the languages offered.
"""

from __future__ import annotations

import sys

from engine.i18n import LANGS
from engine.i18n._extract import stale, template, update


def main(argv: list[str]) -> int:
    if "--check" in argv:
        pot = template()
        problems = [p for lang in LANGS for p in stale(lang, pot)]
        print("\n".join(problems) or "the catalogs are up to date")
        return 1 if problems else 0
    for path in update():
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
