"""The guards the Safe Future workflow names. Each docstring is what `workflow guards` shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from engine.documents import document_model
from engine.handover import offer_state
from engine.i18n import _
from engine.rules._registry import GuardContext, guard
from engine.rules._return import follow_up_call_reasons


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kinds(_Params):
    kinds: list[str]


class Kind(_Params):
    kind: str


class FieldValue(_Params):
    field: str
    value: Any


class FieldName(_Params):
    field: str


class ReflectionLimit(_Params):
    months: int = 3


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _consent(ctx: GuardContext) -> dict[str, Any]:
    found = ctx.document("consent")
    return {} if found is None or found.get("withdrawn") else dict(found)


def _profile(ctx: GuardContext) -> dict[str, Any]:
    return dict(ctx.document("client_profile") or {})


def unmet_requirements(ctx: GuardContext) -> dict[str, list[str]]:
    """Per document kind the current step still needs: the reasons it is not yet enough."""
    unmet: dict[str, list[str]] = {}
    for req in ctx.requirements:
        if req.waived_by is not None and not req.waived_by(ctx):
            continue
        found = ctx.case.documents.get(req.kind)
        if found is None:
            unmet[req.kind] = [f"{ctx.label(req.kind)} ({req.kind}) has not been recorded yet"]
        elif req.since_entered and found.seq <= ctx.case.state_entered_seq:
            unmet[req.kind] = [f"{ctx.label(req.kind)} ({req.kind}) must be updated in this step"]
        elif gaps := document_model(req.kind).model_validate(found.data).gaps():
            unmet[req.kind] = gaps
    return unmet


@guard("documents_complete")
def documents_complete(ctx: GuardContext, _: _Params) -> list[str]:
    """The documents the current step must produce are recorded and complete."""
    return [reason for reasons in unmet_requirements(ctx).values() for reason in reasons]


@guard("document_present", Kind)
def document_present(ctx: GuardContext, p: Kind) -> list[str]:
    """A document of the given kind has been recorded (e.g. the return plan before departure)."""
    if p.kind in ctx.case.documents:
        return []
    return [f"{ctx.label(p.kind)} ({p.kind}) has not been recorded yet"]


@guard("case_kind", Kinds)
def case_kind(ctx: GuardContext, p: Kinds) -> list[str]:
    """The case is of one of the given kinds (trafficking, domestic_violence, honour_violence)."""
    if ctx.case.kind in p.kinds:
        return []
    return [f"only for cases of kind {' or '.join(p.kinds)}; this case is {ctx.case.kind}"]


@guard("data_equals", FieldValue)
def data_equals(ctx: GuardContext, p: FieldValue) -> list[str]:
    """The trigger's data field has the given value (used to route, e.g. a positive decision)."""
    if ctx.data.get(p.field) == p.value:
        return []
    return [f"{p.field} is not {p.value!r}"]


@guard("data_present", FieldName)
def data_present(ctx: GuardContext, p: FieldName) -> list[str]:
    """The trigger's data has the given field (used to route, e.g. a hand-over partner)."""
    return [] if ctx.data.get(p.field) not in (None, "") else [f"{p.field} is not given"]


@guard("data_absent", FieldName)
def data_absent(ctx: GuardContext, p: FieldName) -> list[str]:
    """The trigger's data lacks the given field (the other branch of `data_present`)."""
    return [f"{p.field} is given"] if ctx.data.get(p.field) not in (None, "") else []


@guard("no_police_report")
def no_police_report(ctx: GuardContext, _: _Params) -> list[str]:
    """Witnesses who have already reported to the police get no reflection period (L4760)."""
    if ctx.case.facts.get("reported_on") is None:
        return []
    return [
        "the client has already reported to the police: a witness who reports cannot first "
        "use a reflection period (B8/3 Vc)"
    ]


@guard("reflection_period_limit", ReflectionLimit)
def reflection_period_limit(ctx: GuardContext, p: ReflectionLimit) -> list[str]:
    """The reflection period lasts at most three calendar months from its start (L644-648)."""
    started = _day(ctx.data.get("started_on"))
    if started is None:
        return []
    latest_end = started + relativedelta(months=p.months)
    reasons = []
    if started > ctx.today:
        reasons.append(f"started_on {started} lies after the day this happened ({ctx.today})")
    if ctx.today > latest_end:
        reasons.append(
            f"a reflection period started on {started} ended by {latest_end} "
            f"(at most {p.months} calendar months)"
        )
    ends = _day(ctx.data.get("ends_on"))
    if ends is not None and ends > latest_end:
        reasons.append(
            f"ends_on {ends} is too late: the reflection period lasts at most {p.months} "
            f"calendar months, so it ends by {latest_end}"
        )
    return reasons


def _in_reflection_period(ctx: GuardContext) -> bool:
    """In the reflection period on the day of `at`: started, and not past its end."""
    if ctx.case.residence_state != "reflection_period":
        return False
    started = _day(ctx.case.facts.get("reflection_started_on"))
    if started is None:
        return False
    end = started + relativedelta(months=3)
    ends = _day(ctx.case.facts.get("reflection_ends_on"))
    return ctx.today <= min(end, ends or end)


@guard("report_decision_made")
def report_decision_made(ctx: GuardContext, _: _Params) -> list[str]:
    """A trafficking victim still in the reflection period decides at step 4 whether to
    report to the police (L2417-2420); the action plan records that decision."""
    if ctx.case.kind != "trafficking" or not _in_reflection_period(ctx):
        return []
    plan = ctx.document("action_plan") or {}
    if plan.get("report_decision") in ("report", "no_report"):
        return []
    return [
        "the client is in the reflection period: the action plan must record her decision "
        "whether to report to the police (action_plan.report_decision)"
    ]


@guard("not_article64")
def not_article64(ctx: GuardContext, _: _Params) -> list[str]:
    """Departure is suspended while article 64 (medically unfit to travel) holds (L2723)."""
    if not ctx.case.facts.get("article64"):
        return []
    return ["article 64 holds (the client is medically unfit to travel): departure is suspended"]


@guard("article64_holds")
def article64_holds(ctx: GuardContext, _: _Params) -> list[str]:
    """Article 64 currently holds (to end it)."""
    return [] if ctx.case.facts.get("article64") else ["article 64 does not hold for this case"]


@guard("article64_not_holding")
def article64_not_holding(ctx: GuardContext, _: _Params) -> list[str]:
    """Article 64 does not hold yet (to start it)."""
    return ["article 64 already holds for this case"] if ctx.case.facts.get("article64") else []


def _pat_sufficient(ctx: GuardContext) -> list[str]:
    safety = (ctx.document("return_plan") or {}).get("safety") or {}
    if safety.get("risk_section_sufficient_for_update"):
        return []
    return [
        "the return plan's risk section (PAT section 5) is not marked sufficient for the "
        "update (return_plan.safety.risk_section_sufficient_for_update)"
    ]


@guard("pat_risk_section_sufficient")
def pat_risk_section_sufficient(ctx: GuardContext, _: _Params) -> list[str]:
    """The return plan's risk section (PAT section 5) was marked sufficient to stand in for
    the updated risk analysis (L3363-3367)."""
    return _pat_sufficient(ctx)


@guard("risk_update_done")
def risk_update_done(ctx: GuardContext, _: _Params) -> list[str]:
    """The updated risk analysis (step 11) is complete, or PAT section 5 stands in for it."""
    if not _pat_sufficient(ctx):
        return []
    found = ctx.case.documents.get("risk_update")
    if found is None:
        return [
            f"{ctx.label('risk_update')} (risk_update) has not been recorded yet, and the return "
            "plan's risk section is not marked sufficient for the update"
        ]
    return document_model("risk_update").model_validate(found.data).gaps()


@guard("handover_consent")
def handover_consent(ctx: GuardContext, _: _Params) -> list[str]:
    """A hand-over to a partner organisation needs the client's recorded consent to hand over
    to that organisation, covering the return plan and the updated risk analysis (L3375)."""
    partner = ctx.data.get("partner_organisation") or ctx.data.get("partner")
    if not partner:
        return []
    consent = _consent(ctx)
    if not consent.get("handover_to_partner"):
        return [f"the client has not consented to a hand-over to {partner} (consent)"]
    if consent.get("partner_organisation") != partner:  # organisation ids, compared exactly
        return [
            f"the client consented to a hand-over to {consent.get('partner_organisation')}, "
            f"not to {partner}"
        ]
    wanted = ["return_plan"] + (["risk_update"] if "risk_update" in ctx.case.documents else [])
    shared = consent.get("share_documents") or []
    return [
        f"the client's consent does not cover handing over the {ctx.label(kind)} "
        f"(consent.share_documents)"
        for kind in wanted
        if kind not in shared
    ]


@guard("handover_matches_checklist")
def handover_matches_checklist(ctx: GuardContext, _: _Params) -> list[str]:
    """Departure with or without a partner organisation is what the hand-over checklist
    prepared (with_partner), so the partner items of step 12 are not skipped (L3368-3410)."""
    checklist = ctx.document("handover_checklist")
    if checklist is None:
        return []
    partner = bool(ctx.data.get("partner_organisation"))
    if partner and not checklist.get("with_partner"):
        return [
            "the hand-over checklist was made for a departure without a partner "
            "organisation (handover_checklist.with_partner)"
        ]
    if not partner and checklist.get("with_partner"):
        return [
            "the hand-over checklist was made for a hand-over to a partner organisation: "
            "name it (partner_organisation)"
        ]
    return []


@guard("fact_present", FieldName)
def fact_present(ctx: GuardContext, p: FieldName) -> list[str]:
    """The case has the given fact (e.g. a hand-over partner after departure)."""
    return [] if ctx.case.facts.get(p.field) not in (None, "") else [f"{p.field} is not known"]


@guard("fact_absent", FieldName)
def fact_absent(ctx: GuardContext, p: FieldName) -> list[str]:
    """The case lacks the given fact (the other branch of `fact_present`)."""
    if ctx.case.facts.get(p.field) in (None, ""):
        return []
    return [_("{field} is known", field=p.field)]


@guard("fact_equals", FieldValue)
def fact_equals(ctx: GuardContext, p: FieldValue) -> list[str]:
    """The case's fact has the given value (e.g. she left the shelter with a permit)."""
    if ctx.case.facts.get(p.field) == p.value:
        return []
    return [_("{field} is not {value}", field=p.field, value=str(p.value))]


class FieldValues(_Params):
    field: str
    values: list[Any]


@guard("fact_in", FieldValues)
def fact_in(ctx: GuardContext, p: FieldValues) -> list[str]:
    """The case's fact has one of the given values (e.g. she left for a VBL or a family
    location, the placements whose departure is confirmed)."""
    if ctx.case.facts.get(p.field) in p.values:
        return []
    values = " or ".join(str(v) for v in p.values)
    return [_("{field} is not {values}", field=p.field, values=values)]


class States(_Params):
    states: list[str]


@guard("care_state_not", States)
def care_state_not(ctx: GuardContext, p: States) -> list[str]:
    """The case is not in one of the given care steps (e.g. an IND decision's evaluation does
    not start its deadline in step 1, where it waits, L2266-2277)."""
    if ctx.case.state not in p.states:
        return []
    return [_("the case is in {state}", state=ctx.case.state)]


class StepDocuments(_Params):
    steps: dict[str, list[str]]


@guard("skipped_steps_recorded", StepDocuments)
def skipped_steps_recorded(ctx: GuardContext, p: StepDocuments) -> list[str]:
    """An evaluation that interrupted a step (evaluation_left) leaves the steps it passed by
    to be caught up before the provisional decision: their documents, from the interrupted
    step on, are recorded and complete (L2433-2435, L2867, L2902). `steps` lists, in order,
    the steps that must be caught up and their documents."""
    left = ctx.case.facts.get("evaluation_left")
    order = list(p.steps)
    if left not in order:
        return []
    reasons: list[str] = []
    for step in order[order.index(left) :]:
        for kind in p.steps[step]:
            found = ctx.case.documents.get(kind)
            if found is None:
                reasons.append(
                    _(
                        "the evaluation interrupted {step}: {document} ({kind}) of that part "
                        "of the pathway must be recorded before the provisional decision",
                        step=step,
                        document=ctx.label(kind),
                        kind=kind,
                    )
                )
            else:
                reasons.extend(document_model(kind).model_validate(found.data).gaps())
    return reasons


@guard("undocumented_informed")
def undocumented_informed(ctx: GuardContext, _p: _Params) -> list[str]:
    """Leaving without papers, she has been given the information on the rights of
    undocumented people (Bijlage 10, L4827-4905) and the social map of organisations she can
    turn to (L2888-2891)."""
    if ctx.data.get("outcome") != "undocumented":
        return []
    reasons: list[str] = []
    if ctx.data.get("rights_information_given") is not True:
        reasons.append(
            _(
                "rights_information_given: leaving without papers, she must be given the "
                "information on the rights of undocumented people (Bijlage 10)"
            )
        )
    if ctx.data.get("socialmap_given") is not True:
        reasons.append(
            _(
                "socialmap_given: leaving without papers, she must be given the social map of "
                "organisations she can turn to for advice and support (L2888-2891)"
            )
        )
    return reasons


@guard("permit_details_given")
def permit_details_given(ctx: GuardContext, _: _Params) -> list[str]:
    """A positive decision names the permit and, unless it is non-temporary, its end date,
    so the renewal can be kept (L665, L691)."""
    reasons = []
    if not ctx.data.get("permit"):
        reasons.append("permit: say which permit was granted")
    elif ctx.data.get("permit") != "humanitarian_non_temporary" and not ctx.data.get("valid_until"):
        reasons.append("valid_until: a temporary permit needs its end date")
    return reasons


def _monitoring_reasons(ctx: GuardContext) -> list[str]:
    """Monitoring needs her yes in the consent record, and no "no" in her return plan: the
    counsellor checks how she feels about being followed, and some returnees want no special
    attention (L3279-3283), so where the PAT's section 12 (L4418-4424) and the consent
    disagree, the refusal wins."""
    reasons = []
    if not _consent(ctx).get("monitoring_contacts"):
        reasons.append(
            "the client has not agreed to monitoring contacts (consent.monitoring_contacts)"
        )
    section = (ctx.document("return_plan") or {}).get("monitoring") or {}
    if section.get("client_agrees_to_monitoring") is False:
        reasons.append(
            "the client's return plan says she does not want to be contacted after her return "
            "(return_plan.monitoring.client_agrees_to_monitoring, PAT section 12)"
        )
    return reasons


@guard("monitoring_agreed")
def monitoring_agreed(ctx: GuardContext, _: _Params) -> list[str]:
    """The client agreed to monitoring contacts after return (PAT section 12, L4418-4425)."""
    return _monitoring_reasons(ctx)


@guard("monitoring_declined")
def monitoring_declined(ctx: GuardContext, _: _Params) -> list[str]:
    """The client has not agreed to monitoring contacts, or withdrew her consent."""
    return [] if _monitoring_reasons(ctx) else ["the client agreed to monitoring contacts"]


@guard("contact_allowed")
def contact_allowed(ctx: GuardContext, _: _Params) -> list[str]:
    """A monitoring contact or report is recorded only where the client agreed to them; only
    the safe-arrival confirmation she agreed to give before leaving is always welcome
    (L3275, L3402). A contact labelled `other` is a monitoring contact too. A follow-up call
    is recorded where one was agreed at a departure without support (L2916)."""
    if ctx.data.get("about") == "follow_up_call":
        return follow_up_call_reasons(ctx)
    if ctx.data.get("about") == "arrival_confirmation":
        return []
    return _monitoring_reasons(ctx)


@guard("timers_finished", Kinds)
def timers_finished(ctx: GuardContext, p: Kinds) -> list[str]:
    """No timer of the given kinds is still pending (monitoring finished or declined)."""
    return [
        f"{t.kind} is still open (due {t.due_on})"
        for t in ctx.case.timers
        if t.status == "pending" and t.kind in p.kinds
    ]


_OUTCOME_RESIDENCE = {
    "permit": ({"permit"}, "a residence permit has been granted"),
    "lawful_stay": ({"eu_lawful_stay", "no_procedure"}, "the client needs no permit"),
    "litigating": (
        {"application_pending", "rejected", "objection", "appeal"},
        "a procedure is still running",
    ),
}


# A family location takes families who exhausted their remedies, and those whose admission
# procedure gives no right to COA provisions (L742-743): a procedure still running.
_FAMILY_LOCATION_RESIDENCE = frozenset(
    {"no_lawful_stay", "application_pending", "rejected", "objection", "appeal"}
)


@guard("leaving_outcome_fits")
def leaving_outcome_fits(ctx: GuardContext, _p: _Params) -> list[str]:
    """The outcome of leaving the shelter fits the case: a permit outcome needs a permit,
    litigating needs a running procedure, family location only with minor children (also
    while a procedure without COA provisions runs, L742-743), VBL only without (L740-753,
    L2867-2900)."""
    outcome = ctx.data.get("outcome")
    residence = ctx.case.residence_state
    reasons = []
    if outcome in _OUTCOME_RESIDENCE:
        states, what = _OUTCOME_RESIDENCE[outcome]
        if residence not in states:
            reasons.append(f"outcome {outcome} needs that {what}; residence is {residence}")
    if outcome == "lawful_stay" and _profile(ctx).get("citizenship") not in ("dutch", "eu"):
        reasons.append("outcome lawful_stay is for Dutch and EU citizens (client_profile)")
    if outcome == "family_location" and residence not in _FAMILY_LOCATION_RESIDENCE:
        reasons.append(
            _(
                "outcome family_location is for families whose lawful stay has ended or whose "
                "procedure gives no right to COA provisions (L742-743); residence is {residence}",
                residence=residence,
            )
        )
    if outcome in ("vbl", "undocumented") and residence != "no_lawful_stay":
        reasons.append(
            f"outcome {outcome} is for clients whose lawful stay has ended (end_lawful_stay); "
            f"residence is {residence}"
        )
    if outcome in ("family_location", "vbl"):
        reasons.extend(_children_fit(ctx, outcome))
    return reasons


def _children_fit(ctx: GuardContext, outcome: str) -> list[str]:
    profile = _profile(ctx)
    if not profile:
        return [
            "record the client profile (client_profile) first: it says whether she has "
            "minor children"
        ]
    youngest = _day(profile.get("youngest_child_born_on"))
    has_minor = bool(profile.get("minor_children")) and (
        youngest is None or youngest + relativedelta(years=18) > ctx.today
    )
    if outcome == "family_location" and not has_minor:
        return ["a family location is only for clients with minor children"]
    if outcome == "vbl" and has_minor:
        return [
            "a VBL (restricted-freedom location) is only for clients without minor children; "
            "consider a family location"
        ]
    return []


@guard("cosm_eligible")
def cosm_eligible(ctx: GuardContext, _: _Params) -> list[str]:
    """Admission to the categorical shelter (COSM): adult, in the reflection period, no report
    made yet, not Dutch (L718-722)."""
    profile = _profile(ctx)
    reasons = []
    if not profile:
        return ["record the client profile (client_profile) first"]
    if not profile.get("adult"):
        reasons.append("COSM admits adults only")
    if not _in_reflection_period(ctx):
        reasons.append("COSM admits clients in the reflection period only")
    if ctx.case.facts.get("reported_on") is not None:
        reasons.append("COSM admits clients who have not reported to the police yet")
    if profile.get("citizenship") == "dutch":
        reasons.append("COSM does not admit Dutch nationals")
    return reasons


@guard("eu_citizen")
def eu_citizen(ctx: GuardContext, _: _Params) -> list[str]:
    """The client is an EU/EEA citizen according to the client profile (L4778-4808)."""
    if _profile(ctx).get("citizenship") == "eu":
        return []
    return ["only for EU/EEA citizens (client_profile.citizenship is not eu)"]


_PERMIT_KINDS = {
    "b8_3_temporary": ("trafficking",),
    "humanitarian_non_temporary": ("trafficking",),
    "independent_domestic_violence": ("domestic_violence", "honour_violence"),
    "one_year_undocumented": ("domestic_violence", "honour_violence"),
    "honour_violence_temporary": ("honour_violence",),
}


@guard("permit_fits_case")
def permit_fits_case(ctx: GuardContext, _: _Params) -> list[str]:
    """The permit applied for exists for this kind of case (L648-694); a B8/3 permit without a
    police report needs serious threat or medical grounds (L4763-4764)."""
    permit = ctx.data.get("permit")
    if permit is None:
        return []
    kinds = _PERMIT_KINDS.get(str(permit), ())
    reasons = []
    if ctx.case.kind not in kinds:
        return [f"a {permit} permit is for {' or '.join(kinds)} cases, not {ctx.case.kind}"]
    grounds = ctx.data.get("grounds")
    no_report = ctx.case.facts.get("reported_on") is None
    if permit == "b8_3_temporary" and no_report and grounds not in ("serious_threat", "medical"):
        reasons.append(
            "a B8/3 permit without a police report needs grounds serious_threat or medical"
        )
    return reasons


# -- the hand-over's answer (step 12, L3368-3393) ----------------------------------------------


def _offer(ctx: GuardContext) -> tuple[str | None, str | None]:
    return offer_state(ctx.case.facts, ctx.document("consent"))


@guard("handover_not_pending")
def handover_not_pending(ctx: GuardContext, _: _Params) -> list[str]:
    """No hand-over offer is awaiting an answer or accepted: one partner at a time; after a
    decline (or when the consent lapsed) the case may be offered again."""
    partner, status = _offer(ctx)
    if status == "offered":
        return [f"the case is already offered to {partner}, awaiting its answer"]
    if status == "accepted":
        return [f"{partner} has already accepted the hand-over"]
    return []


@guard("handover_offered")
def handover_offered(ctx: GuardContext, _: _Params) -> list[str]:
    """An offer of the case awaits the partner's answer, with the client's consent standing."""
    partner, status = _offer(ctx)
    if status == "offered":
        return []
    if status == "lapsed":
        return [f"the client's consent no longer covers a hand-over to {partner} (consent)"]
    if status in ("accepted", "declined"):
        return [f"{partner} has already answered the offer ({status})"]
    return ["the case has not been offered to a partner organisation (offer_handover)"]


@guard("handover_accepted")
def handover_accepted(ctx: GuardContext, _: _Params) -> list[str]:
    """A departure to a partner organisation needs that organisation's accepted hand-over
    (offer_handover, accept_handover): the partner takes over with a clear yes (L3379-3393)."""
    partner = ctx.data.get("partner_organisation")
    if not partner:
        return []
    offered, status = _offer(ctx)
    if offered == partner and status == "accepted":
        return []
    if offered == partner and status == "offered":
        return [f"{partner} has not answered the hand-over offer yet (accept_handover)"]
    if offered == partner and status == "declined":
        return [f"{partner} declined the hand-over"]
    return [f"the case has not been handed over to {partner}: offer it first (offer_handover)"]


# -- re-integration in the country of origin (chapter 7) ------------------------------------


def _help_wanted(ctx: GuardContext) -> bool | None:
    found = ctx.document("reint_agreement")
    return None if found is None else bool(found.get("further_help_wanted"))


@guard("further_help_wanted")
def further_help_wanted(ctx: GuardContext, _: _Params) -> list[str]:
    """The agreement of re-integration step 1 says she wants further help (or none is
    recorded yet): the steps go on to the legal questions (L3562-3563)."""
    if _help_wanted(ctx) is False:
        return ["she wants no further help (reint_agreement.further_help_wanted)"]
    return []


@guard("no_further_help")
def no_further_help(ctx: GuardContext, _: _Params) -> list[str]:
    """The agreement of re-integration step 1 says she wants no further help: she has the
    organisation's contact details and only monitoring follows (L3566-3567)."""
    if _help_wanted(ctx) is False:
        return []
    return ["she wants further help (reint_agreement.further_help_wanted)"]
