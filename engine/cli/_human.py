"""Cases for people, in the chosen language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from engine.i18n import _, translate
from engine.views import TIMER_STATUS


def human_case(
    v: dict[str, Any],
    lang: str,
    documents: dict[str, str],
    *,
    tz: ZoneInfo,
    timers: dict[str, str],
) -> str:
    """A case as the CLI prints it: headings, labels and reasons in `lang`, ids as they are;
    the day a document was made is the local day in `tz`; a deadline by its label in `timers`
    (by timer kind), with its kind."""

    def t(text: str) -> str:
        return translate(text, lang)

    step = t(_("step {n}: ", n=v["step"])) if v["step"] else ""
    due = ""
    if v["step_due_on"]:
        due = t(_("expected done by {day}", day=v["step_due_on"]))
        late = t(_(", OVERDUE")) if v["step_overdue"] else ""
        due = f"  [{due}{late}]"
    art64 = t(_("article 64 holds"))
    art64 = f"  [{art64}]" if v["article64"] else ""
    needed = [f"{t(documents[k])} ({k})" for k in v["missing_documents"]]
    head = _(
        "case {id}  ({kind}, {organisation}, client {client}, counsellor {counsellor})",
        id=v["id"],
        kind=v["kind"],
        organisation=v["organisation"],
        client=v["client_ref"],
        counsellor=v["counsellor"] or "-",
    )
    care, residence = t(_("care:")), t(_("residence:"))
    width = max(len(care), len(residence)) + 1
    lines = [
        t(head),
        f"  {care:<{width}}{step}{v['state_label'][lang]} ({v['state']}){due}",
        f"  {residence:<{width}}{v['residence_label'][lang]} ({v['residence_state']}){art64}",
    ]
    waiting = t(_("waiting:"))
    lines.extend(f"  {waiting:<{width}}{t(note)}" for note in v.get("deferred", []))
    if needed:
        lines.append("  " + t(_("still needed to complete: {what}", what=", ".join(needed))))
    next_ = t(_("next:"))
    lines.extend(f"  {next_} {t(hint)}" for hint in v.get("hints", []))
    if v["triggers"]:  # a closed case has none: no empty heading
        lines.append("  " + t(_("what can happen next:")))
    yes, no = t(_("yes")), t(_("no"))
    mark_width = max(len(yes), len(no))
    for trig in v["triggers"]:
        mark = yes if trig["allowed"] else no
        lines.append(f"    {mark:<{mark_width}}  {trig['name']:<24} {trig['label'][lang]}")
        lines.extend(f"    {'':<{mark_width}}  - {t(r)}" for r in trig.get("reasons", []))
    if v["timers"]:
        lines.append("  " + t(_("deadlines:")))
        kinds = {k: f"{t(timers.get(k, k))} ({k})" for k in {tm["kind"] for tm in v["timers"]}}
        kind_width = max(len(k) for k in kinds.values())
        for i, tm in enumerate(v["timers"]):
            due_on = t(_("due {day}", day=tm["due_on"]))
            status = t(TIMER_STATUS.get(tm["status"], tm["status"]))
            if any(later["kind"] == tm["kind"] for later in v["timers"][i + 1 :]):
                status += t(_(" (an earlier round)"))  # the same deadline again, started anew
            n = tm["days_overdue"]
            late = t(_(" (1 day)") if n == 1 else _(" ({n} days)", n=n)) if n else ""
            lines.append(f"    {kinds[tm['kind']]:<{kind_width}}  {due_on}  {status}{late}")
    if v["documents"]:
        lines.append("  " + t(_("documents:")))
        named = {d["kind"]: f"{t(documents.get(d['kind'], d['kind']))} ({d['kind']})"
                 for d in v["documents"]}  # fmt: skip
        width = max(len(n) for n in named.values())
        for d in v["documents"]:
            version = t(_("version {n}", n=d["version"]))
            day = datetime.fromisoformat(d["happened_at"]).astimezone(tz).date().isoformat()
            lines.append(f"    {named[d['kind']]:<{width}}  {version}  {day}")
    if "suggestions" in v:
        lines += _suggestions(v["suggestions"], lang)
    return "\n".join(lines)


def _suggestions(s: dict[str, Any], lang: str) -> list[str]:
    """The social map's suggestions: a hint, with what each organisation offers of her needs."""

    def t(text: str) -> str:
        return translate(text, lang)

    where = t(_(" in {country}", country=s["country"])) if s["country"] else ""
    needs = t(_(" for {needs}", needs=", ".join(s["needs"]))) if s["needs"] else ""
    hint = t(s["hint"])
    head = _(
        "organisations{where}{needs} (social map; {hint}):", where=where, needs=needs, hint=hint
    )
    lines = ["  " + t(head)]
    for o in s["organisations"]:
        lacks = t(_("; lacks {what}", what=", ".join(o["lacks"]))) if o["lacks"] else ""
        lines.append(f"    {o['id']:<32} {o['name']}{lacks}")
    if s["more"]:
        command = f"safe-future socialmap search --country {s['country']}"
        lines.append("    " + t(_("and {n} more: {command}", n=s["more"], command=command)))
    return lines
