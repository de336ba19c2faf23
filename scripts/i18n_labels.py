"""Move the Dutch of the workflow file's labels into the Dutch catalog (a one-off conversion,
kept so that labels still written `{nl: ..., en: ...}` can be converted the same way).

    python scripts/i18n_labels.py [workflows/safe_future.yaml ...]

Every `{nl: "…", en: "…"}` in the file becomes the English string (the msgid); the Dutch
becomes its translation in engine/i18n/locales/nl/LC_MESSAGES/messages.po. Where one English
text had two Dutch ones, the first is kept and the other printed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from engine.i18n._extract import ROOT, _path, _read, _write, update

PAIR = re.compile(r'\{nl: "(?P<nl>[^"]*)", en: "(?P<en>[^"]*)"\}')


def convert(path: Path) -> dict[str, str]:
    """Rewrite `path` with English labels; return English → Dutch."""
    dutch: dict[str, str] = {}

    def english(match: re.Match[str]) -> str:
        en, nl = match["en"], match["nl"]
        if dutch.setdefault(en, nl) != nl:
            print(f"{en!r}: kept {dutch[en]!r}, not {nl!r}")
        return f'"{en}"'

    path.write_text(PAIR.sub(english, path.read_text(encoding="utf-8")), encoding="utf-8")
    return dutch


def main(argv: list[str]) -> int:
    dutch: dict[str, str] = {}
    for name in argv or ["workflows/safe_future.yaml"]:
        for en, nl in convert(ROOT / name).items():
            dutch.setdefault(en, nl)
    update()
    po = _read("nl")
    for message in po:
        if message.id in dutch and not message.string and dutch[message.id] != message.id:
            message.string = dutch[message.id]
    _path("nl").write_bytes(_write(po))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
