"""The README's links work in a clone (newcomer review, finding 33): every relative link
names a file of the repository, none reaches outside it (`../shared` is not in a clone)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_relative_link_of_the_readme_names_a_file_of_the_repository() -> None:
    links = [
        target.split("#")[0]
        for target in LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
        if "://" not in target and not target.startswith(("#", "mailto:"))
    ]
    assert links, "the README links the docs it needs"
    missing = [t for t in links if not (ROOT / t).resolve().is_file()]
    outside = [t for t in links if not (ROOT / t).resolve().is_relative_to(ROOT)]
    assert ([], []) == (missing, outside)
