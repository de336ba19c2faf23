"""The pages' words in Dutch and English; the workflow's own labels come from its file."""

from __future__ import annotations

from fastapi import Request

LANGS = ("nl", "en")

WORDS: dict[str, tuple[str, str]] = {
    # key: (nl, en)
    "app": ("Safe Future", "Safe Future"),
    "overdue_title": ("Achterstallige stappen en termijnen", "Overdue steps and deadlines"),
    "login_title": ("Inloggen", "Log in"),
    "login_help": (
        "Plak je persoonlijke token (van je beheerder). Het blijft niet in de browser bewaard: "
        "je krijgt een sessie die na enkele uren verloopt.",
        "Paste your personal token (from your administrator). It is not kept in the browser: "
        "you get a session that ends after a few hours.",
    ),
    "too_many": (
        "Te vaak een verkeerd token. Probeer het later opnieuw.",
        "Too many wrong tokens. Try again later.",
    ),
    "token": ("Token", "Token"),
    "login": ("Inloggen", "Log in"),
    "logout": ("Uitloggen", "Log out"),
    "signed_in_as": ("Ingelogd als", "Signed in as"),
    "filters": ("Filters", "Filters"),
    "organisation": ("Organisatie", "Organisation"),
    "all": ("Alle", "All"),
    "counsellor": ("Begeleider", "Counsellor"),
    "what": ("Stap of termijn", "Step or deadline"),
    "kind": ("Soort", "Kind"),
    "min_days": ("Minimaal dagen te laat", "At least days overdue"),
    "apply": ("Toepassen", "Apply"),
    "reset": ("Wissen", "Clear"),
    "case": ("Casus", "Case"),
    "due": ("Uiterlijk", "Due"),
    "days_overdue": ("Dagen te laat", "Days overdue"),
    "per_organisation": ("Per organisatie", "Per organisation"),
    "total": ("Totaal", "Total"),
    "nothing_overdue": (
        "Niets achterstallig met deze filters.",
        "Nothing overdue with these filters.",
    ),
    "showing": (
        "De {shown} meest achterstallige van {total} getoond.",
        "Showing the {shown} most overdue of {total}.",
    ),
    "step_overdue": ("Stap te lang open", "Step open too long"),
    "step": ("Stap", "Step"),
    "unassigned": ("niet toegewezen", "unassigned"),
    "today": ("Peildatum", "As of"),
    "back": ("Terug naar het overzicht", "Back to the overview"),
    "client_ref": ("Dossiernummer cliënt", "Client file number"),
    "case_kind": ("Soort casus", "Case kind"),
    "intake_on": ("Intake", "Intake"),
    "current_step": ("Huidige stap", "Current step"),
    "phase": ("Fase", "Phase"),
    "residence": ("Verblijf", "Residence"),
    "article64": ("Artikel 64", "Article 64"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "closed": ("Afgesloten", "Closed"),
    "open": ("Open", "Open"),
    "timers": ("Termijnen", "Deadlines"),
    "status": ("Status", "Status"),
    "no_timers": ("Geen termijnen.", "No deadlines."),
    "diagram": ("Stroomschema", "Flow diagram"),
    "diagram_help": (
        "Geel: huidige stap. Blauw: eerder doorlopen. Pijlen rechts gaan vooruit, links terug.",
        "Yellow: current step. Blue: passed before. Arrows on the right go forward, on the left "
        "back.",
    ),
    "care_track": ("Begeleiding", "Care"),
    "residence_track": ("Verblijf", "Residence"),
    "any_step": ("vanuit elke open stap", "from any open step"),
    "next_steps": ("Wat kan er nu gebeuren", "What can happen next"),
    "allowed": ("kan nu", "possible now"),
    "refused": ("nog niet", "not yet"),
    "missing_documents": ("Nog vast te leggen in deze stap", "Still to record in this step"),
    "timeline": ("Tijdlijn", "Timeline"),
    "happened": ("Gebeurd", "Happened"),
    "recorded": ("Vastgelegd", "Recorded"),
    "who": ("Door", "By"),
    "event": ("Gebeurtenis", "Event"),
    "documents": ("Documenten", "Documents"),
    "version": ("Versie", "Version"),
    "no_documents": ("Geen documenten die je mag zien.", "No documents you may see."),
    "data_hidden": (
        "Inhoud en cliëntgegevens zijn niet zichtbaar voor jouw rol.",
        "Contents and client details are not visible to your role.",
    ),
    "error_title": ("Dat lukt niet", "That did not work"),
    "not_found": (
        "Deze casus bestaat niet of valt buiten jouw toegang.",
        "This case does not exist or is outside your access.",
    ),
    "forbidden": ("Dit overzicht is niet voor jouw rol.", "This view is not for your role."),
    "session_over": (
        "Je sessie is verlopen of ongeldig. Log opnieuw in.",
        "Your session ended or is not valid. Please log in again.",
    ),
    "bad_token": (
        "Dit token werkt niet (onbekend, verlopen of ingetrokken).",
        "This token does not work (unknown, expired or revoked).",
    ),
    "bad_input": ("De filters kloppen niet", "The filters are not valid"),
    "pending": ("open", "pending"),
    "overdue": ("te laat", "overdue"),
    "due_soon": ("binnenkort", "due soon"),
    "done": ("afgerond", "done"),
    "cancelled": ("vervallen", "cancelled"),
    "kind_trafficking": ("Mensenhandel", "Human trafficking"),
    "kind_domestic_violence": ("Huiselijk geweld", "Domestic violence"),
    "kind_honour_violence": ("Eergerelateerd geweld", "Honour-related violence"),
    # the engine's own events, beside the workflow's triggers
    "ev_open": ("Casus geopend (intake)", "Case opened (intake)"),
    "ev_record": ("Document vastgelegd", "Document recorded"),
    "ev_assign_counsellor": ("Begeleider toegewezen", "Counsellor assigned"),
    "language": ("Language: English", "Taal: Nederlands"),
}


def pick_lang(request: Request) -> str:
    """`?lang=` when given, else the browser's first choice of Dutch or English; Dutch when
    it prefers neither (the pages are for Dutch shelters)."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "nl"


def words(lang: str) -> dict[str, str]:
    """The pages' words in `lang`, by key."""
    index = LANGS.index(lang)
    return {key: pair[index] for key, pair in WORDS.items()}
