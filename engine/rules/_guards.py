"""The guards the Safe Future workflow names. Each docstring is what `workflow guards` shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from engine.documents import document_model, either
from engine.handover import offer_state
from engine.i18n import N_, Message, _
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


_KIND_NAMES = {
    "trafficking": N_("human trafficking"),
    "domestic_violence": N_("domestic violence"),
    "honour_violence": N_("honour-related violence"),
}


def kind_name(kind: str) -> Message:
    """A kind of case in words."""
    return Message(_KIND_NAMES.get(kind, kind))


def kind_names(kinds: list[str] | tuple[str, ...]) -> Message:
    """Kinds of case in words, as alternatives."""
    return either([kind_name(k) for k in kinds])


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
            unmet[req.kind] = [
                _(
                    "{document} ({kind}) has not been recorded yet",
                    document=ctx.label(req.kind),
                    kind=req.kind,
                )
            ]
        elif req.since_entered and found.seq <= ctx.case.state_entered_seq:
            unmet[req.kind] = [
                _(
                    "{document} ({kind}) must be updated in this step",
                    document=ctx.label(req.kind),
                    kind=req.kind,
                )
            ]
        elif gaps := document_model(req.kind).model_validate(found.data).gaps():
            unmet[req.kind] = gaps
    return unmet


@guard("documents_complete")
def documents_complete(ctx: GuardContext, _p: _Params) -> list[str]:
    """The documents the current step must produce are recorded and complete."""
    return [reason for reasons in unmet_requirements(ctx).values() for reason in reasons]


@guard("document_present", Kind)
def document_present(ctx: GuardContext, p: Kind) -> list[str]:
    """A document of the given kind has been recorded (e.g. the return plan before departure)."""
    if p.kind in ctx.case.documents:
        return []
    return [
        _("{document} ({kind}) has not been recorded yet", document=ctx.label(p.kind), kind=p.kind)
    ]


@guard("case_kind", Kinds)
def case_kind(ctx: GuardContext, p: Kinds) -> list[str]:
    """The case is of one of the given kinds (trafficking, domestic_violence, honour_violence)."""
    if ctx.case.kind in p.kinds:
        return []
    return [
        _(
            "only for cases of {kinds}; this is a case of {kind}",
            kinds=kind_names(p.kinds),
            kind=kind_name(ctx.case.kind),
        )
    ]


@guard("data_equals", FieldValue)
def data_equals(ctx: GuardContext, p: FieldValue) -> list[str]:
    """The trigger's data field has the given value (used to route, e.g. a positive decision)."""
    if ctx.data.get(p.field) == p.value:
        return []
    return [_("{field} is not {value}", field=p.field, value=repr(p.value))]


@guard("data_present", FieldName)
def data_present(ctx: GuardContext, p: FieldName) -> list[str]:
    """The trigger's data has the given field (used to route, e.g. a hand-over partner)."""
    return (
        []
        if ctx.data.get(p.field) not in (None, "")
        else [_("{field} is not given", field=p.field)]
    )


@guard("data_absent", FieldName)
def data_absent(ctx: GuardContext, p: FieldName) -> list[str]:
    """The trigger's data lacks the given field (the other branch of `data_present`)."""
    return [_("{field} is given", field=p.field)] if ctx.data.get(p.field) not in (None, "") else []


@guard("no_police_report")
def no_police_report(ctx: GuardContext, _p: _Params) -> list[str]:
    """Witnesses who have already reported to the police get no reflection period (L4760)."""
    if ctx.case.facts.get("reported_on") is None:
        return []
    return [
        _(
            "the client has already reported to the police, so she cannot first use a "
            "reflection period (B8/3 Vc)"
        )
    ]


@guard("reflection_period_limit", ReflectionLimit)
def reflection_period_limit(ctx: GuardContext, p: ReflectionLimit) -> list[str]:
    """The reflection period lasts at most three calendar months from its start (L644-648)."""
    started = _day(ctx.data.get("started_on"))
    if started is None:
        return []
    latest_end = started + relativedelta(months=p.months)
    reasons: list[str] = []
    if started > ctx.today:
        reasons.append(
            _(
                "the start date {started} lies after the day this happened ({today})",
                started=started,
                today=ctx.today,
            )
        )
    if ctx.today > latest_end:
        reasons.append(
            _(
                "a reflection period that started on {started} ended by {end} "
                "(it lasts at most {months} calendar months)",
                started=started,
                end=latest_end,
                months=p.months,
            )
        )
    ends = _day(ctx.data.get("ends_on"))
    if ends is not None and ends > latest_end:
        reasons.append(
            _(
                "the end date {ends} is too late: the reflection period lasts at most {months} "
                "calendar months, so it ends by {end}",
                ends=ends,
                months=p.months,
                end=latest_end,
            )
        )
    return reasons


_VIOLENCE = ("domestic_violence", "honour_violence")


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
def report_decision_made(ctx: GuardContext, _p: _Params) -> list[str]:
    """The decisions of step 4 (L2417-2420), recorded in the action plan: a trafficking
    victim still in the reflection period decides whether to report to the police; a victim
    of domestic or honour violence whether to report her (ex-)partner and whether to apply
    for an (independent) residence permit."""
    if ctx.case.kind in _VIOLENCE:
        return _violence_decisions(ctx)
    if ctx.case.kind != "trafficking" or not _in_reflection_period(ctx):
        return []
    plan = ctx.document("action_plan") or {}
    if plan.get("report_decision") in ("report", "no_report"):
        return []
    return [
        _(
            "the client is in her reflection period: the action plan must record her decision "
            "whether to report to the police (action_plan.report_decision)"
        )
    ]


def _violence_decisions(ctx: GuardContext) -> list[str]:
    """A victim of domestic or honour violence decides at step 4 whether to report her
    (ex-)partner to the police and whether to apply for an (independent) residence permit
    (L2418-2420). A report already made, an application already pending, or Dutch or EU
    citizenship (no permit needed) settles that question."""
    plan = ctx.document("action_plan") or {}
    reasons: list[str] = []
    reported = ctx.case.facts.get("reported_on") is not None
    if not reported and plan.get("report_decision") not in ("report", "no_report"):
        reasons.append(
            _(
                "the action plan must record the client's decision whether to report her "
                "(ex-)partner to the police (action_plan.report_decision)"
            )
        )
    needs_permit = _profile(ctx).get("citizenship") not in ("dutch", "eu")
    applied = ctx.case.residence_state == "application_pending"
    if needs_permit and not applied and plan.get("permit_decision") not in ("apply", "no_apply"):
        reasons.append(
            _(
                "the action plan must record the client's decision whether to apply for an "
                "(independent) residence permit (action_plan.permit_decision)"
            )
        )
    return reasons


def _still_here(ctx: GuardContext) -> list[str]:
    if ctx.case.facts.get("departed_on") is None:
        return []
    return [_("the client has left the Netherlands")]


@guard("report_awaited")
def report_awaited(ctx: GuardContext, _params: _Params) -> list[str]:
    """The action plan records her decision to report to the police, she has not reported
    yet (report_to_police) and is still in the Netherlands (L2417-2420)."""
    reasons = _still_here(ctx)
    if (ctx.document("action_plan") or {}).get("report_decision") != "report":
        reasons.append(_("the action plan records no decision to report to the police"))
    if ctx.case.facts.get("reported_on") is not None:
        reasons.append(_("the client has already reported to the police"))
    return reasons


@guard("application_awaited")
def application_awaited(ctx: GuardContext, _params: _Params) -> list[str]:
    """The action plan records her decision to apply for a residence permit, no application
    is pending (apply_permit) and she is still in the Netherlands (L2418-2420)."""
    reasons = _still_here(ctx)
    if (ctx.document("action_plan") or {}).get("permit_decision") != "apply":
        reasons.append(_("the action plan records no decision to apply for a residence permit"))
    if ctx.case.residence_state == "application_pending":
        reasons.append(_("an application for a residence permit is already pending"))
    return reasons


@guard("not_article64")
def not_article64(ctx: GuardContext, _p: _Params) -> list[str]:
    """Departure is suspended while article 64 (medically unfit to travel) holds (L2723)."""
    if not ctx.case.facts.get("article64"):
        return []
    return [_("article 64 holds (the client is medically unfit to travel): departure is suspended")]


@guard("article64_holds")
def article64_holds(ctx: GuardContext, _p: _Params) -> list[str]:
    """Article 64 currently holds (to end it)."""
    return (
        [] if ctx.case.facts.get("article64") else [_("article 64 does not hold for this client")]
    )


@guard("article64_not_holding")
def article64_not_holding(ctx: GuardContext, _p: _Params) -> list[str]:
    """Article 64 does not hold yet (to start it)."""
    return (
        [_("article 64 already holds for this client")] if ctx.case.facts.get("article64") else []
    )


def _pat_sufficient(ctx: GuardContext) -> list[str]:
    safety = (ctx.document("return_plan") or {}).get("safety") or {}
    if safety.get("risk_section_sufficient_for_update"):
        return []
    return [
        _(
            "the return plan's risk section (PAT section 5) is not marked sufficient for the "
            "update (return_plan.safety.risk_section_sufficient_for_update)"
        )
    ]


@guard("pat_risk_section_sufficient")
def pat_risk_section_sufficient(ctx: GuardContext, _p: _Params) -> list[str]:
    """The return plan's risk section (PAT section 5) was marked sufficient to stand in for
    the updated risk analysis (L3363-3367)."""
    return _pat_sufficient(ctx)


@guard("risk_update_done")
def risk_update_done(ctx: GuardContext, _p: _Params) -> list[str]:
    """The updated risk analysis (step 11) is complete, or PAT section 5 stands in for it."""
    if not _pat_sufficient(ctx):
        return []
    found = ctx.case.documents.get("risk_update")
    if found is None:
        return [
            _(
                "{document} (risk_update) has not been recorded yet, and the return plan's risk "
                "section is not marked sufficient for the update",
                document=ctx.label("risk_update"),
            )
        ]
    return document_model("risk_update").model_validate(found.data).gaps()


@guard("handover_consent")
def handover_consent(ctx: GuardContext, _p: _Params) -> list[str]:
    """A hand-over to a partner organisation needs the client's recorded consent to hand over
    to that organisation, covering the return plan and the updated risk analysis (L3375)."""
    partner = ctx.data.get("partner_organisation") or ctx.data.get("partner")
    if not partner:
        return []
    consent = _consent(ctx)
    if not consent.get("handover_to_partner"):
        return [
            _("the client has not consented to a hand-over to {partner} (consent)", partner=partner)
        ]
    if consent.get("partner_organisation") != partner:  # organisation ids, compared exactly
        return [
            _(
                "the client consented to a hand-over to {consented}, not to {partner}",
                consented=consent.get("partner_organisation"),
                partner=partner,
            )
        ]
    wanted = ["return_plan"] + (["risk_update"] if "risk_update" in ctx.case.documents else [])
    shared = consent.get("share_documents") or []
    return [
        _(
            "the client's consent does not cover handing over the {document} "
            "(consent.share_documents)",
            document=ctx.label(kind),
        )
        for kind in wanted
        if kind not in shared
    ]


@guard("handover_matches_checklist")
def handover_matches_checklist(ctx: GuardContext, _p: _Params) -> list[str]:
    """Departure with or without a partner organisation is what the hand-over checklist
    prepared (with_partner), so the partner items of step 12 are not skipped (L3368-3410)."""
    checklist = ctx.document("handover_checklist")
    if checklist is None:
        return []
    partner = bool(ctx.data.get("partner_organisation"))
    if partner and not checklist.get("with_partner"):
        return [
            _(
                "the hand-over checklist was made for a departure without a partner "
                "organisation (handover_checklist.with_partner)"
            )
        ]
    if not partner and checklist.get("with_partner"):
        return [
            _(
                "the hand-over checklist was made for a hand-over to a partner organisation: "
                "name it (partner_organisation)"
            )
        ]
    return []


@guard("fact_present", FieldName)
def fact_present(ctx: GuardContext, p: FieldName) -> list[str]:
    """The case has the given fact (e.g. a hand-over partner after departure)."""
    return (
        []
        if ctx.case.facts.get(p.field) not in (None, "")
        else [_("{field} is not known", field=p.field)]
    )


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
    return [_("the case is in {state}", state=ctx.state_label(ctx.case.state))]


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
def permit_details_given(ctx: GuardContext, _p: _Params) -> list[str]:
    """A positive decision names the permit and, for a permit granted for a fixed time, its
    end date, so the renewal can be kept (L659-668, L691-694). A B8/3 permit lasts as long as
    the investigation and prosecution (L648-650, L4746-4747): its end date is optional, and
    the non-temporary humanitarian permit has none."""
    reasons: list[str] = []
    permit = ctx.data.get("permit")
    if not permit:
        reasons.append(_("permit: say which permit was granted"))
    elif permit in _PERMIT_YEARS and not ctx.data.get("valid_until"):
        reasons.append(_("valid_until: a temporary permit needs its end date"))
    return reasons


def _monitoring_reasons(ctx: GuardContext) -> list[str]:
    """Monitoring needs her yes in the consent record, and no "no" in her return plan: the
    counsellor checks how she feels about being followed, and some returnees want no special
    attention (L3279-3283), so where the PAT's section 12 (L4418-4424) and the consent
    disagree, the refusal wins."""
    reasons: list[str] = []
    if not _consent(ctx).get("monitoring_contacts"):
        reasons.append(
            _("the client has not agreed to monitoring contacts (consent.monitoring_contacts)")
        )
    section = (ctx.document("return_plan") or {}).get("monitoring") or {}
    if section.get("client_agrees_to_monitoring") is False:
        reasons.append(
            _(
                "the client's return plan says she does not want to be contacted after her "
                "return (return_plan.monitoring.client_agrees_to_monitoring, PAT section 12)"
            )
        )
    return reasons


@guard("monitoring_agreed")
def monitoring_agreed(ctx: GuardContext, _p: _Params) -> list[str]:
    """The client agreed to monitoring contacts after return (PAT section 12, L4418-4425)."""
    return _monitoring_reasons(ctx)


@guard("monitoring_declined")
def monitoring_declined(ctx: GuardContext, _p: _Params) -> list[str]:
    """The client has not agreed to monitoring contacts, or withdrew her consent."""
    return [] if _monitoring_reasons(ctx) else [_("the client agreed to monitoring contacts")]


@guard("contact_allowed")
def contact_allowed(ctx: GuardContext, _p: _Params) -> list[str]:
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
        _(
            "{timer} ({kind}) is still open (due {due})",
            timer=ctx.timer_label(t.kind),
            kind=t.kind,
            due=t.due_on,
        )
        for t in ctx.case.timers
        if t.status == "pending" and t.kind in p.kinds
    ]


_OUTCOME_RESIDENCE = {
    "permit": (
        {"permit"},
        N_(
            "leaving with a residence permit needs a granted permit; "
            "her residence is now: {residence}"
        ),
    ),
    "lawful_stay": (
        {"eu_lawful_stay", "no_procedure"},
        N_(
            "leaving with lawful stay is for a client who needs no permit; "
            "her residence is now: {residence}"
        ),
    ),
    "litigating": (
        {"objection", "appeal"},
        N_(
            "leaving while litigating needs an objection or appeal that is running "
            "(file_objection, file_appeal); her residence is now: {residence}"
        ),
    ),
}


_OUTCOME_NAMES = {
    "vbl": N_("a VBL (restricted-freedom location)"),
    "undocumented": N_("leaving without papers"),
}


# A family location takes families who exhausted their remedies, and those whose admission
# procedure gives no right to COA provisions (L742-743): a procedure still running.
_FAMILY_LOCATION_RESIDENCE = frozenset(
    {"no_lawful_stay", "application_pending", "rejected", "objection", "appeal"}
)


@guard("leaving_outcome_fits")
def leaving_outcome_fits(ctx: GuardContext, _p: _Params) -> list[str]:
    """The outcome of leaving the shelter fits the case: a permit outcome needs a permit,
    litigating needs a running objection or appeal (L2819-2826), family location only with
    minor children (also while a procedure without COA provisions runs, L742-743), VBL only
    without (L740-753, L2867-2900); the end of the stay at a negative decision only by the
    organisation's policy and when her safety allows (L2358-2362)."""
    outcome = ctx.data.get("outcome")
    residence = ctx.case.residence_state
    reasons: list[str] = []
    if outcome in _OUTCOME_RESIDENCE:
        states, text = _OUTCOME_RESIDENCE[outcome]
        if residence not in states:
            reasons.append(Message(text, residence=ctx.state_label(residence)))
    if outcome == "lawful_stay" and _profile(ctx).get("citizenship") not in ("dutch", "eu"):
        reasons.append(_("leaving with lawful stay is for Dutch and EU citizens (client profile)"))
    if outcome == "family_location" and residence not in _FAMILY_LOCATION_RESIDENCE:
        reasons.append(
            _(
                "a family location is for families whose lawful stay has ended or whose "
                "procedure gives no right to COA provisions (L742-743); her residence is now: "
                "{residence}",
                residence=ctx.state_label(residence),
            )
        )
    if outcome in ("vbl", "undocumented") and residence != "no_lawful_stay":
        reasons.append(
            _(
                "{outcome} is for clients whose lawful stay has ended (end_lawful_stay); "
                "her residence is now: {residence}",
                outcome=Message(_OUTCOME_NAMES[outcome]),
                residence=ctx.state_label(residence),
            )
        )
    if outcome in ("family_location", "vbl"):
        reasons.extend(_children_fit(ctx, outcome))
    if outcome == "end_of_stay_after_negative_decision":
        reasons.extend(_end_of_stay_reasons(ctx))
    return reasons


def _children_fit(ctx: GuardContext, outcome: str) -> list[str]:
    profile = _profile(ctx)
    if not profile:
        return [
            _(
                "record the client profile (client_profile) first: it says whether she has "
                "minor children"
            )
        ]
    youngest = _day(profile.get("youngest_child_born_on"))
    has_minor = bool(profile.get("minor_children")) and (
        youngest is None or youngest + relativedelta(years=18) > ctx.today
    )
    if outcome == "family_location" and not has_minor:
        return [_("a family location is only for clients with minor children")]
    if outcome == "vbl" and has_minor:
        return [
            _(
                "a VBL (restricted-freedom location) is only for clients without minor "
                "children; consider a family location"
            )
        ]
    return []


@guard("cosm_eligible")
def cosm_eligible(ctx: GuardContext, _p: _Params) -> list[str]:
    """Admission to the categorical shelter (COSM): adult, in the reflection period, no report
    made yet, not Dutch (L718-722)."""
    profile = _profile(ctx)
    reasons: list[str] = []
    if not profile:
        return [_("record the client profile (client_profile) first")]
    if not profile.get("adult"):
        reasons.append(_("COSM admits adults only"))
    if not _in_reflection_period(ctx):
        reasons.append(_("COSM admits clients in the reflection period only"))
    if ctx.case.facts.get("reported_on") is not None:
        reasons.append(_("COSM admits clients who have not reported to the police yet"))
    if profile.get("citizenship") == "dutch":
        reasons.append(_("COSM does not admit Dutch nationals"))
    return reasons


@guard("eu_citizen")
def eu_citizen(ctx: GuardContext, _p: _Params) -> list[str]:
    """The client is an EU/EEA citizen according to the client profile (L4778-4808)."""
    citizenship = _profile(ctx).get("citizenship")
    if citizenship == "eu":
        return []
    if citizenship is None:  # nothing known yet: say what to record, claim nothing
        return [_("only for EU/EEA citizens; her citizenship is not recorded yet "
                  "(client profile, client_profile)")]  # fmt: skip
    return [_("only for EU/EEA citizens; the client profile does not say she is one")]


_PERMIT_KINDS = {
    "b8_3_temporary": ("trafficking",),
    "humanitarian_non_temporary": ("trafficking",),
    "independent_domestic_violence": ("domestic_violence", "honour_violence"),
    "one_year_undocumented": ("domestic_violence", "honour_violence"),
    "honour_violence_temporary": ("honour_violence",),
}
# How long the book says a permit is granted for, in years: five for the independent permit
# (L663-664), one for the undocumented domestic-violence and the honour-violence permits
# (L667-668, L693-694). The B8/3 permit lasts as long as the investigation (L648-650).
_PERMIT_YEARS = {
    "independent_domestic_violence": 5,
    "one_year_undocumented": 1,
    "honour_violence_temporary": 1,
}
_PERMIT_LINES = {
    "independent_domestic_violence": "L663-664",
    "one_year_undocumented": "L667-668",
    "honour_violence_temporary": "L693-694",
}
# The permit of someone who has no permit of her own: renewed while she holds it (L667-668,
# L693-694), never applied for on top of another permit.
_WITHOUT_PERMIT = ("one_year_undocumented", "honour_violence_temporary")
# Grounds that show the violence: a report to the police, or statements of the care workers
# (L660-661, L666).
_VIOLENCE_SHOWN = ("report", "violence_shown")


def _permits_held(ctx: GuardContext) -> list[str]:
    return [str(p) for p in ctx.case.facts.get("permits_held") or []]


@guard("permit_fits_case")
def permit_fits_case(ctx: GuardContext, _p: _Params) -> list[str]:
    """The permit applied for or granted exists for this kind of case (L648-694). To apply:
    a B8/3 permit without a police report needs serious threat or medical grounds
    (L4763-4764); a non-temporary humanitarian permit comes only after a temporary one was
    held (L650-653, L4766-4767); an independent permit only for a client holding a dependent
    one (L659-664); the domestic-violence permits need the violence shown (L660-661, L666);
    the one-year permits are for clients without a permit, and renewed while held
    (L665-668, L691-694)."""
    permit = ctx.data.get("permit")
    if permit is None:
        return []
    kinds = _PERMIT_KINDS.get(str(permit), ())
    if ctx.case.kind not in kinds:
        return [
            _(
                "a {permit} permit is for cases of {kinds}, not {kind}",
                permit=permit,
                kinds=kind_names(kinds),
                kind=kind_name(ctx.case.kind),
            )
        ]
    if ctx.trigger != "apply_permit":
        return []
    return _application_reasons(ctx, str(permit))


def _application_reasons(ctx: GuardContext, permit: str) -> list[str]:
    grounds = ctx.data.get("grounds")
    held = _permits_held(ctx)
    no_report = ctx.case.facts.get("reported_on") is None
    reasons: list[str] = []
    if permit == "b8_3_temporary" and no_report and grounds not in ("serious_threat", "medical"):
        reasons.append(
            _(
                "a B8/3 permit without a police report needs serious threat or medical grounds "
                "(grounds: serious_threat or medical)"
            )
        )
    if permit == "humanitarian_non_temporary" and "b8_3_temporary" not in held:
        reasons.append(
            _(
                "a non-temporary humanitarian permit can only be applied for after the client "
                "has held a temporary permit (B8/3); this case has not held one (L650-653)"
            )
        )
    if permit == "independent_domestic_violence" and "dependent" not in held:
        reasons.append(
            _(
                "an independent permit is for a client whose permit depends on her partner or "
                "parents: record that dependent permit first (record_dependent_permit, L659-664)"
            )
        )
    if permit in ("independent_domestic_violence", "one_year_undocumented") and (
        grounds not in _VIOLENCE_SHOWN
    ):
        reasons.append(
            _(
                "grounds: the domestic violence must be shown, by a report to the police "
                "(report) or statements of the care workers (violence_shown) (L660-661, L666)"
            )
        )
    current = ctx.case.facts.get("permit")
    if permit in _WITHOUT_PERMIT and ctx.case.residence_state == "permit" and current != permit:
        reasons.append(
            _(
                "a {permit} permit is for a client without a residence permit; she holds a "
                "{current} permit (a renewal is an application of the permit she holds)",
                permit=permit,
                current=str(current),
            )
        )
    return reasons


@guard("decision_answers_application")
def decision_answers_application(ctx: GuardContext, _p: _Params) -> list[str]:
    """A positive IND decision grants the permit that was applied for (after a police report
    the report is the application for the B8/3 permit, L4744-4747), for no longer than the
    book allows: five years for the independent permit, one year for the one-year permits,
    counted from the decision or, for a renewal, from the end of the permit she holds
    (L659-668, L691-694)."""
    permit = ctx.data.get("permit")
    if not permit:
        return []
    if ctx.case.residence_state == "reported":
        applied = "b8_3_temporary"
    else:
        applied = str(ctx.case.facts.get("permit_applied"))
    if permit != applied:
        return [
            _(
                "permit: the decision answers the application for a {applied} permit, so it "
                "cannot grant a {permit} permit",
                applied=applied,
                permit=str(permit),
            )
        ]
    return _length_reasons(ctx, str(permit))


def _length_reasons(ctx: GuardContext, permit: str) -> list[str]:
    until, decided = _day(ctx.data.get("valid_until")), _day(ctx.data.get("decided_on"))
    years = _PERMIT_YEARS.get(permit)
    if years is None or until is None or decided is None:
        return []
    start = decided
    held_until = _day(ctx.case.facts.get("permit_valid_until"))
    if ctx.case.facts.get("permit") == permit and held_until is not None:
        start = max(start, held_until)  # a renewal runs on from the permit she holds
    latest = start + relativedelta(years=years)
    if until <= latest:
        return []
    return [
        _(
            "valid_until {until} is too late: a {permit} permit is granted for at most "
            "{years} year(s) ({lines}), so it ends by {latest}",
            until=until.isoformat(),
            permit=permit,
            years=years,
            lines=_PERMIT_LINES[permit],
            latest=latest.isoformat(),
        )
    ]


# -- a negative decision (L2358-2362, L2819-2826) -------------------------------------------


def _negative_decision_stands(ctx: GuardContext) -> bool:
    return ctx.case.facts.get("decision") == "negative" and ctx.case.residence_state in (
        "rejected",
        "objection",
        "appeal",
    )


@guard("objection_appeal_discussed")
def objection_appeal_discussed(ctx: GuardContext, _p: _Params) -> list[str]:
    """While a negative IND decision stands, the step-7 evaluation records the client's
    choice about objection or appeal, and that whether going on serves her interest was
    discussed with her (L2819-2826)."""
    if not _negative_decision_stands(ctx):
        return []
    decided = _day(ctx.case.facts.get("decided_on"))
    found = ctx.document("evaluation") or {}
    held = _day(found.get("held_on"))
    if held is None or (decided is not None and held < decided):
        return [
            _(
                "after the negative IND decision of {decided}, record the evaluation in which "
                "objection and appeal are discussed with the client (evaluation, L2819-2826)",
                decided=str(decided),
            )
        ]
    reasons: list[str] = []
    if found.get("objection_appeal_decision") is None:
        reasons.append(
            _(
                "after the negative IND decision, the evaluation must record the client's "
                "choice about objection or appeal (evaluation.objection_appeal_decision)"
            )
        )
    if not found.get("objection_appeal_interest_discussed"):
        reasons.append(
            _(
                "whether going on with objection or appeal serves the client's interest has "
                "not been discussed yet (evaluation.objection_appeal_interest_discussed)"
            )
        )
    return reasons


# The risk analysis questions that must be answered "no" for her safety to be no longer at
# stake (L2361-2362): a concrete threat, reprisals, being searched for or followed.
_SAFETY_QUESTIONS = ("concrete_indications", "threatened_with_reprisal", "sought_or_followed")


def _safety_at_stake(ctx: GuardContext) -> list[str]:
    """Why her safety is still at stake: it is no longer at stake only when the latest risk
    analysis, made on or after the negative decision, rates the threat `none` and answers
    `no` (not `unknown`) to concrete indications, reprisals, and being sought or followed."""
    decided = _day(ctx.case.facts.get("decided_on"))
    found = ctx.document("risk_analysis")
    assessed = _day((found or {}).get("assessed_on"))
    if found is None or assessed is None or (decided is not None and assessed < decided):
        return [
            _(
                "her safety must be re-assessed after the negative decision of {decided}: "
                "record a new risk analysis first (risk_analysis, L2361-2362, L2863-2864)",
                decided=str(decided),
            )
        ]
    reasons: list[str] = []
    if found.get("threat_level") != "none":
        reasons.append(
            _(
                "her safety is still at stake: the risk analysis rates the threat "
                "{level} (risk_analysis.threat_level), so the stay does not end (L2361-2362)",
                level=str(found.get("threat_level")),
            )
        )
    for question in _SAFETY_QUESTIONS:
        if found.get(question) != "no":
            reasons.append(
                _(
                    "her safety is still at stake: the risk analysis answers {answer} to "
                    "risk_analysis.{question}, so the stay does not end (L2361-2362)",
                    answer=str(found.get(question)),
                    question=question,
                )
            )
    return reasons


END_STAY_SWITCH = "end_stay_at_first_negative_decision"


def _end_of_stay_reasons(ctx: GuardContext) -> list[str]:
    """The organisation's policy to end the stay at a negative decision (L2358-2362): only
    where the switch is on, for domestic or honour violence without a permit, and only when
    her safety is no longer at stake."""
    if not ctx.switch(END_STAY_SWITCH):
        return [
            _(
                "this organisation does not end the stay at a negative IND decision (policy "
                "end_stay_at_first_negative_decision is off)"
            )
        ]
    if ctx.case.kind not in ("domestic_violence", "honour_violence"):
        return [
            _(
                "the stay ends at a negative decision only for domestic or honour violence "
                "cases; this case is {kind} (L2358-2359)",
                kind=ctx.case.kind,
            )
        ]
    if not _negative_decision_stands(ctx):
        return [
            _(
                "the stay ends this way only while a negative IND decision stands; residence "
                "is {residence} (L2358-2360)",
                residence=ctx.case.residence_state,
            )
        ]
    return _safety_at_stake(ctx)


# -- the hand-over's answer (step 12, L3368-3393) ----------------------------------------------


def _offer(ctx: GuardContext) -> tuple[str | None, str | None]:
    return offer_state(ctx.case.facts, ctx.document("consent"))


@guard("handover_not_pending")
def handover_not_pending(ctx: GuardContext, _p: _Params) -> list[str]:
    """No hand-over offer is awaiting an answer or accepted: one partner at a time; after a
    decline (or when the consent lapsed) the case may be offered again."""
    partner, status = _offer(ctx)
    if status == "offered":
        return [_("the case is already offered to {partner}, awaiting its answer", partner=partner)]
    if status == "accepted":
        return [_("{partner} has already accepted the hand-over", partner=partner)]
    return []


_ANSWERED = {
    "accepted": N_("{partner} has already accepted the offer"),
    "declined": N_("{partner} has already declined the offer"),
}


@guard("handover_offered")
def handover_offered(ctx: GuardContext, _p: _Params) -> list[str]:
    """An offer of the case awaits the partner's answer, with the client's consent standing."""
    partner, status = _offer(ctx)
    if status == "offered":
        return []
    if status == "lapsed":
        return [
            _(
                "the client's consent no longer covers a hand-over to {partner} (consent)",
                partner=partner,
            )
        ]
    if status in ("accepted", "declined"):
        return [Message(_ANSWERED[status], partner=partner)]
    return [_("the case has not been offered to a partner organisation (offer_handover)")]


@guard("handover_accepted")
def handover_accepted(ctx: GuardContext, _p: _Params) -> list[str]:
    """A departure to a partner organisation needs that organisation's accepted hand-over
    (offer_handover, accept_handover): the partner takes over with a clear yes (L3379-3393)."""
    partner = ctx.data.get("partner_organisation")
    if not partner:
        return []
    offered, status = _offer(ctx)
    if offered == partner and status == "accepted":
        return []
    if offered == partner and status == "offered":
        return [
            _(
                "{partner} has not answered the hand-over offer yet (accept_handover)",
                partner=partner,
            )
        ]
    if offered == partner and status == "declined":
        return [_("{partner} declined the hand-over", partner=partner)]
    return [
        _(
            "the case has not been handed over to {partner}: offer it first (offer_handover)",
            partner=partner,
        )
    ]


# -- re-integration in the country of origin (chapter 7) ------------------------------------


def _help_wanted(ctx: GuardContext) -> bool | None:
    found = ctx.document("reint_agreement")
    return None if found is None else bool(found.get("further_help_wanted"))


@guard("further_help_wanted")
def further_help_wanted(ctx: GuardContext, _p: _Params) -> list[str]:
    """The agreement of re-integration step 1 says she wants further help (or none is
    recorded yet): the steps go on to the legal questions (L3562-3563)."""
    if _help_wanted(ctx) is False:
        return [_("she wants no further help (reint_agreement.further_help_wanted)")]
    return []


@guard("no_further_help")
def no_further_help(ctx: GuardContext, _p: _Params) -> list[str]:
    """The agreement of re-integration step 1 says she wants no further help: she has the
    organisation's contact details and only monitoring follows (L3566-3567)."""
    if _help_wanted(ctx) is False:
        return []
    return [_("she wants further help (reint_agreement.further_help_wanted)")]
