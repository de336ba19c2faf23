"""The flow diagram as an SVG drawn on the server: no script runs in the pages.

Each track is one column of steps in the order of the workflow file (the order of Bijlage 2),
so it reads top to bottom on a phone as on a laptop. An arrow to the next step goes straight
down; a jump forward bends round on the right, a way back on the left, each in a lane of its
own so that no two arrows overlap."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from engine.i18n import translate
from engine.states import WorkflowSpec, edges, from_any_step, state_title
from engine.states._schema import TrackSpec

BOX_W, BOX_H, ROW, LANE, PAD = 300, 44, 64, 12, 16
WRAP = 44  # characters per line in a box


@dataclass(frozen=True)
class Box:
    id: str
    x: int
    y: int
    lines: tuple[str, ...]
    css: str  # current, passed, final: how the step is drawn


@dataclass(frozen=True)
class Arrow:
    d: str  # the SVG path
    title: str  # shown on hover: the triggers and the steps
    css: str  # next, forward, back


@dataclass(frozen=True)
class Drawing:
    title: str
    width: int
    height: int
    box_w: int
    box_h: int
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    notes: tuple[str, ...]  # moves from any open step, which have no one arrow


def _lanes(spans: list[tuple[int, int, int]]) -> dict[int, int]:
    """Give each arrow (index, low row, high row) the lowest lane no overlapping arrow holds;
    short arrows first, so they hug the boxes."""
    taken: list[list[tuple[int, int]]] = []
    lane_of: dict[int, int] = {}
    for index, low, high in sorted(spans, key=lambda s: (s[2] - s[1], s[1])):
        lane = 0
        while lane < len(taken) and any(low <= hi and lo <= high for lo, hi in taken[lane]):
            lane += 1
        if lane == len(taken):
            taken.append([])
        taken[lane].append((low, high))
        lane_of[index] = lane
    return lane_of


def draw(
    spec: WorkflowSpec,
    track: TrackSpec,
    lang: str,
    *,
    title: str,
    current: set[str],
    passed: set[str],
) -> Drawing:
    """Lay out one track with its `current` steps and the steps `passed` before marked."""
    row_of = {s.id: i for i, s in enumerate(track.states)}
    arrows = [(row_of[s], row_of[d], names, s, d) for s, d, names in edges(track)]
    back = [(i, min(a, b), max(a, b)) for i, (a, b, *_) in enumerate(arrows) if b < a]
    ahead = [(i, a, b) for i, (a, b, *_) in enumerate(arrows) if b > a + 1]
    back_lane, ahead_lane = _lanes(back), _lanes(ahead)
    left = PAD + LANE * (max(back_lane.values(), default=-1) + 1)
    right = left + BOX_W
    width = right + PAD + LANE * (max(ahead_lane.values(), default=-1) + 1)

    def middle(row: int) -> int:
        return PAD + row * ROW + BOX_H // 2

    drawn = []
    for i, (a, b, names, source, dest) in enumerate(arrows):
        hover = f"{names}: {state_title(source, spec, lang)} → {state_title(dest, spec, lang)}"
        if b == a:  # stays in the step (a re-evaluation): a small loop on its right
            d = f"M{right},{middle(a) - 8} h8 v16 h-6"
            drawn.append(Arrow(d, hover, "loop"))
        elif b == a + 1:
            top = PAD + a * ROW + BOX_H
            drawn.append(
                Arrow(f"M{left + BOX_W // 2},{top} V{top + ROW - BOX_H - 2}", hover, "next")
            )
        elif b > a:
            x = right + LANE * (ahead_lane[i] + 1)
            d = f"M{right},{middle(a) - 6} H{x} V{middle(b) + 6} H{right + 2}"
            drawn.append(Arrow(d, hover, "forward"))
        else:
            x = left - LANE * (back_lane[i] + 1)
            d = f"M{left},{middle(a) - 6} H{x} V{middle(b) + 6} H{left - 2}"
            drawn.append(Arrow(d, hover, "back"))
    boxes = []
    for row, state in enumerate(track.states):
        css = "current" if state.id in current else "passed" if state.id in passed else ""
        lines = textwrap.wrap(state_title(state.id, spec, lang), WRAP, max_lines=2, placeholder="…")
        boxes.append(
            Box(
                state.id,
                left,
                PAD + row * ROW,
                tuple(lines),
                f"{css} {'final' * state.final}".strip(),
            )
        )
    notes = tuple(
        f"{translate(spec.triggers[name].label, lang)} → {state_title(dest, spec, lang)}"
        for name, dest in from_any_step(track)
    )
    return Drawing(
        title, width, PAD * 2 + len(track.states) * ROW - (ROW - BOX_H), BOX_W, BOX_H,
        tuple(boxes), tuple(drawn), notes,
    )  # fmt: skip
