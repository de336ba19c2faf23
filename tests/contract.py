"""The names `../shared/docs/contract.md` fixes, which users and checks rely on."""

CARE_STATES = [
    "basic_needs_safety", "first_counselling", "strengths_inventory", "short_term_plan",
    "future_talks", "supplement_plan", "interim_evaluation", "provisional_decision",
    "stay_action_plan", "return_action_plan", "risk_update", "departure",
    "reint_basic_needs", "reint_legal", "reint_strengths", "reint_goals_plan",
    "reint_strengthen_resources", "reint_monitoring",
    "closed_stayed", "closed_returned", "closed_withdrawn",
    # the silent drum (L2913-2918): waiting for the agreed call, and its end state
    "left_unassisted", "closed_returned_unassisted",
]  # fmt: skip

TIMER_KINDS = {
    "reflection_period_end", "first_counselling_due", "periodic_evaluation",
    "evaluation_after_decision", "permit_renewal", "vbl_departure", "family_location_end",
    "arrival_confirmation", "contact_1_month", "report_6_months", "report_12_months",
}  # fmt: skip

DOCUMENT_KINDS = {
    "risk_analysis", "safety_plan", "strengths_inventory", "action_plan", "overview1",
    "overview2", "return_plan", "risk_update", "handover_checklist", "consent", "contact",
    "health_checklist",
}  # fmt: skip

# Kinds the engine adds to the contract's.
# The partner's documents of re-integration steps 1, 2 and 5 (issue 13, chapter 7).
REINTEGRATION_KINDS = {"reint_agreement", "legal_questions", "resources_plan"}
EXTRA_DOCUMENT_KINDS = {
    "counselling_info",
    "evaluation",
    "client_profile",
    "return_funds",
} | REINTEGRATION_KINDS

# Timer kinds the engine adds: the call agreed at a departure without support (L2916).
EXTRA_TIMER_KINDS = {"follow_up_call"}
