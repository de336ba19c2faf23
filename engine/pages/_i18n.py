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
        "Plak je persoonlijke token (van je aanmeldlink). Het blijft niet in de browser "
        "bewaard: je krijgt een sessie die na enkele uren verloopt.",
        "Paste your personal token (from your enrolment link). It is not kept in the browser: "
        "you get a session that ends after a few hours.",
    ),
    "too_many": (
        "Te vaak een verkeerd token. Probeer het later opnieuw.",
        "Too many wrong tokens. Try again later.",
    ),
    "enrol_title": ("Je persoonlijke token", "Your personal token"),
    "enrol_help": (
        "Deze link is voor {user} en werkt één keer. Je token verschijnt hierna één keer; "
        "bewaar het in je wachtwoordbeheerder. Niemand anders krijgt het te zien.",
        "This link is for {user} and works once. Your token is shown next, once; keep it in "
        "your password manager. No one else gets to see it.",
    ),
    "enrol_button": ("Toon mijn token", "Show my token"),
    "enrolled_help": (
        "Dit is je token. Het wordt niet nog eens getoond en is nergens anders opgeslagen "
        "dan als onleesbare vingerafdruk. Log hiermee in.",
        "This is your token. It is not shown again and is kept nowhere but as an unreadable "
        "fingerprint. Use it to log in.",
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
    # the social map (Bijlagen 11-14)
    "socialmap": ("Sociale kaart", "Social map"),
    "sm_title": ("Sociale kaart: hulp bij terugkeer", "Social map: help to return"),
    "sm_intro": (
        "Organisaties die slachtoffers helpen bij terugkeer en herintegratie (handboek, "
        "bijlagen 11-14). Alleen organisaties, geen contactpersonen: neem contact op via hun "
        "website.",
        "Organisations that help victims return and re-integrate (the book, Bijlagen 11-14). "
        "Organisations only, no contact persons: reach them through their website.",
    ),
    "sm_country": ("Land", "Country"),
    "sm_country_help": (
        "Code of naam, Nederlands of Engels (NG, Nigeria, Nigerië)",
        "Code or name, Dutch or English (NG, Nigeria, Nigerië)",
    ),
    "sm_services": ("Diensten (alle aangevinkte)", "Services (all ticked)"),
    "sm_services_offered": ("Diensten", "Services"),
    "sm_text": ("Woorden", "Words"),
    "sm_search": ("Zoeken", "Search"),
    "sm_found": ("{n} organisaties gevonden", "{n} organisations found"),
    "sm_found_one": ("1 organisatie gevonden", "1 organisation found"),
    "sm_none": (
        "Geen organisatie op de sociale kaart past bij deze zoekopdracht.",
        "No organisation on the social map fits this search.",
    ),
    "sm_bad_search": ("De zoekopdracht klopt niet", "The search is not valid"),
    "sm_based_in": ("Gevestigd in {country}", "Based in {country}"),
    "sm_serves_from_elsewhere": (
        "Werkzaam in {country} vanuit elders",
        "Working in {country} from elsewhere",
    ),
    "sm_worldwide": ("Wereldwijd", "Worldwide"),
    "sm_international": ("Internationaal", "International"),
    "sm_in_countries": ("in {n} landen", "in {n} countries"),
    "sm_works_in": ("Werkzaam in", "Works in"),
    "sm_jump": ("Naar land", "Go to country"),
    "sm_website": ("Website", "Website"),
    "sm_no_website": ("geen website bekend", "no website known"),
    "sm_more_about": ("Meer over {name}", "More about {name}"),
    "sm_offers": ("Biedt", "Offers"),
    "sm_lacks": ("Niet", "Not"),
    "sm_other_services": ("Andere diensten", "Other services"),
    "sm_description": ("Beschrijving", "Description"),
    "sm_source": ("Bron", "Source"),
    "sm_source_line": ("Bijlage {bijlage}, regel {line}", "Bijlage {bijlage}, line {line}"),
    "sm_source_file": ("bestand {file}", "file {file}"),
    "sm_origin": ("Herkomst van deze gegevens", "Where this reading comes from"),
    "sm_origin_book": ("het handboek", "the book"),
    "sm_origin_shelter": ("het bestand van de opvang", "the shelter's own file"),
    "sm_origin_admin": ("een wijziging door een beheerder", "an administrator's change"),
    "sm_changed": ("Laatst gewijzigd", "Last changed"),
    "sm_retired": (
        "Niet meer actief: deze organisatie staat niet meer in zoekresultaten en suggesties.",
        "Retired: this organisation no longer shows in searches and suggestions.",
    ),
    "sm_retired_short": ("niet meer actief", "retired"),
    "sm_others_in": ("Andere organisaties in {country}", "Other organisations in {country}"),
    "sm_back": ("Terug naar de sociale kaart", "Back to the social map"),
    "sm_not_found": (
        "Deze organisatie staat niet op de sociale kaart.",
        "This organisation is not on the social map.",
    ),
    "sm_suggestions": (
        "Organisaties in haar land (sociale kaart)",
        "Organisations in her country (social map)",
    ),
    "sm_her_country": ("Haar land van herkomst", "Her country of origin"),
    "sm_her_needs": ("Wat haar plan vraagt", "What her plan asks for"),
    "sm_no_needs": (
        "Nog geen hulpvragen vastgelegd (terugkeerplan, secties 5 en 11).",
        "No needs recorded yet (return plan, sections 5 and 11).",
    ),
    "sm_hint": (
        "Suggesties uit de sociale kaart; de keuze is aan de cliënt en aan jou.",
        "Suggestions from the social map; the choice is the client's and yours.",
    ),
    "sm_hint_no_country": (
        "Leg haar land van herkomst vast (cliëntprofiel) om suggesties uit de sociale kaart "
        "te krijgen.",
        "Record her country of origin (client profile) to get suggestions from the social map.",
    ),
    "sm_none_in_country": (
        "Geen organisaties op de sociale kaart voor dit land.",
        "No organisations on the social map for this country.",
    ),
    "sm_more": ("nog {n} op de sociale kaart", "{n} more on the social map"),
    "sm_with_needs": (
        "Wie biedt alles wat zij nodig heeft?",
        "Who offers everything she needs?",
    ),
    "sm_all_in": (
        "Alles voor {country} op de sociale kaart",
        "All for {country} on the social map",
    ),
    "sm_elsewhere": ("vanuit elders", "from elsewhere"),
    "export": ("Formulier", "Form"),
    "export_client_copy": (
        "PDF voor de cliënt (met dossiernummer)",
        "PDF for the client (with her file number)",
    ),
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
