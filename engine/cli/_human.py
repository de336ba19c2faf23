"""Cases for people, in the chosen language."""

from __future__ import annotations

from typing import Any


def human_case(v: dict[str, Any], lang: str, documents: dict[str, dict[str, str]]) -> str:
    step = f"step {v['step']}: " if v["step"] else ""
    due = ""
    if v["step_due_on"]:
        due = f"  [expected done by {v['step_due_on']}{', OVERDUE' if v['step_overdue'] else ''}]"
    art64 = "  [article 64 holds]" if v["article64"] else ""
    needed = [f"{documents[k][lang]} ({k})" for k in v["missing_documents"]]
    lines = [
        f"case {v['id']}  ({v['kind']}, {v['organisation']}, client {v['client_ref']}, "
        f"counsellor {v['counsellor'] or '-'})",
        f"  care:      {step}{v['state_label'][lang]} ({v['state']}){due}",
        f"  residence: {v['residence_label'][lang]} ({v['residence_state']}){art64}",
    ]
    lines.extend(f"  waiting:   {note}" for note in v.get("deferred", []))
    if needed:
        lines.append(f"  still needed to complete: {', '.join(needed)}")
    lines.append("  what can happen next:")
    for t in v["triggers"]:
        mark = "yes" if t["allowed"] else "no "
        lines.append(f"    {mark}  {t['name']:<24} {t['label'][lang]}")
        lines.extend(f"           - {r}" for r in t.get("reasons", []))
    if v["timers"]:
        lines.append("  deadlines:")
        lines.extend(
            f"    {t['kind']:<26} due {t['due_on']}  {t['status']}"
            + (f" ({t['days_overdue']} days)" if t["days_overdue"] else "")
            for t in v["timers"]
        )
    if "suggestions" in v:
        lines += _suggestions(v["suggestions"])
    return "\n".join(lines)


def _suggestions(s: dict[str, Any]) -> list[str]:
    """The social map's suggestions: a hint, with what each organisation offers of her needs."""
    where = f" in {s['country']}" if s["country"] else ""
    needs = f" for {', '.join(s['needs'])}" if s["needs"] else ""
    lines = [f"  organisations{where}{needs} (social map; {s['hint']}):"]
    for o in s["organisations"]:
        lacks = f"; lacks {', '.join(o['lacks'])}" if o["lacks"] else ""
        lines.append(f"    {o['id']:<32} {o['name']}{lacks}")
    if s["more"]:
        lines.append(
            f"    and {s['more']} more: safe-future socialmap search --country {s['country']}"
        )
    return lines
