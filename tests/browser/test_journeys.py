"""Journeys as users walk them, in a real Chromium, asserting what they see."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from PIL import Image
from playwright.sync_api import expect

from kenniscentrum.accounts.models import Authenticator
from kenniscentrum.reports.models import Report
from tests.browser.conftest import NEUTRAL_SITE, check_page, new_page
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "foto.png"
    buffer = BytesIO()
    Image.new("RGB", (30, 20), "blue").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def fill_minimal_report(page: Any, text: str) -> None:
    page.get_by_label("Nee", exact=True).first.check()
    page.get_by_label("Ik maak me zorgen om iemand (familie, vriend, buur)").check()
    page.get_by_label("Wat is er gebeurd?").fill(text)


def test_anonymous_report_with_attachment_then_follow_up(page, live_server, region, tmp_path) -> None:
    page.goto("/")
    check_page(page, live_server)
    page.get_by_role("link", name="Melding doen").click()
    check_page(page, live_server)
    fill_minimal_report(page, "Op de camping werken mensen zonder loon.")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_label("Foto's of documenten").set_input_files(photo(tmp_path))
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
    check_page(page, live_server)
    code = page.locator(".receipt-code").inner_text()
    report = Report.objects.get()
    assert report.attachments.count() == 1 and report.form_values == ["labour"]

    page.get_by_role("link", name="Je melding volgen").click()
    page.get_by_label("Je ontvangstcode").fill(code)
    page.get_by_role("button", name="Mijn melding openen").click()
    page.get_by_text("We hebben je melding ontvangen. Iemand leest hem binnenkort.").wait_for()
    check_page(page, live_server)
    page.get_by_label("Je bericht").fill("Het gaat om de camping aan de Dinkel.")
    page.get_by_role("button", name="Bericht versturen").click()
    page.get_by_text("Je bericht is verstuurd. Dank je wel.").wait_for()
    assert page.get_by_text("Het gaat om de camping aan de Dinkel.").is_visible()


def enter_password_and_code(page: Any, live_server: Any, user: Any) -> None:
    """The two login steps on the login page that is open now (axe-checked on the way)."""
    check_page(page, live_server)
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("heading", name="Verificatiecode").wait_for()
    check_page(page, live_server)
    device = Authenticator.objects.get(user=user)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    page.get_by_label("Zescijferige code uit je authenticator-app").fill(code)
    page.get_by_role("button", name="Inloggen").click()


def staff_login(page: Any, live_server: Any, user: Any) -> None:
    """Logs in, lands on the start page (my work), and goes on to the triage queue where these journeys start."""
    page.goto("/medewerkers/inloggen/")
    enter_password_and_code(page, live_server, user)
    page.get_by_role("heading", name="Mijn werk", exact=True).wait_for()
    page.goto("/medewerkers/meldingen/")
    page.get_by_role("heading", name="Triagelijst").wait_for()
    check_page(page, live_server)


def test_staff_triage_with_a_question_to_the_reporter(browser, page, live_server, region, intake) -> None:
    reporter = new_page(browser, live_server)
    reporter.goto("/melden/")
    fill_minimal_report(reporter, "Een meisje wordt elke avond opgehaald.")
    reporter.get_by_role("button", name="Melding versturen").click()
    code = reporter.locator(".receipt-code").inner_text()
    reference = Report.objects.get().reference

    staff_login(page, live_server, intake)
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name=f"Melding {reference}").wait_for()
    check_page(page, live_server)
    page.get_by_role("button", name="Triage starten").click()
    page.locator("summary", has_text="Vraag stellen aan de melder").click()
    page.get_by_label("Vraag aan de melder").fill("Weet u welke auto het is?")
    page.get_by_role("button", name="Vraag stellen aan de melder").click()
    page.get_by_text("Je vraag is naar de melder gestuurd").wait_for()
    check_page(page, live_server)

    reporter.goto("/volgen/")
    reporter.get_by_label("Je ontvangstcode").fill(code)
    reporter.get_by_role("button", name="Mijn melding openen").click()
    assert reporter.get_by_text("Weet u welke auto het is?").is_visible()
    reporter.get_by_label("Je bericht").fill("Een zwarte Audi.")
    reporter.get_by_role("button", name="Bericht versturen").click()
    reporter.get_by_text("Je bericht is verstuurd. Dank je wel.").wait_for()

    page.reload()
    assert page.get_by_text("Een zwarte Audi.").is_visible()
    page.locator("summary", has_text="Afsluiten met advies").click()
    form = page.locator("#action-close_advised")
    form.get_by_label("Besluit en reden (intern)").fill("Advies gegeven; geen signalen van dwang.")
    form.get_by_label("Hoe krijgt de melder terugkoppeling?").select_option("receipt_message")
    form.get_by_label("Bericht aan de melder (te lezen met de ontvangstcode)").fill("Bel bij twijfel Veilig Thuis.")
    form.get_by_role("button", name="Afsluiten met advies").click()
    page.get_by_text("afgesloten:").wait_for()
    assert page.get_by_text("Afgesloten met advies").first.is_visible()
    check_page(page, live_server)

    reporter.reload()
    assert reporter.get_by_text("Bel bij twijfel Veilig Thuis.").is_visible()
    reporter.context.close()


def test_the_language_switch_keeps_the_page(page, live_server, region) -> None:
    page.goto("/informatie/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/informatie/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/melden/")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Make a report").wait_for()
    check_page(page, live_server)
    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("heading", name="Melding doen").wait_for()
    assert page.context.cookies() == [c for c in page.context.cookies() if c["name"] == "csrftoken"]


def test_switching_language_mid_form_keeps_what_was_typed_without_javascript(browser, live_server, region) -> None:
    page = new_page(browser, live_server, javascript=False)
    page.goto("/melden/")
    fill_minimal_report(page, "Mijn collega's moeten hun paspoort inleveren.")
    page.get_by_label("Plaats").fill("Almelo")
    page.get_by_role("button", name="Polski").click()
    page.wait_for_url("**/pl/melden/")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("#id_description").input_value() == "Mijn collega's moeten hun paspoort inleveren."
    assert page.locator("#id_place").input_value() == "Almelo"
    assert page.locator(".error-summary").count() == 0  # (axe needs JavaScript: the page is checked elsewhere)
    page.get_by_role("button", name=re.compile("Wyślij")).click()
    page.wait_for_load_state("load")
    assert Report.objects.get().place == "Almelo"
    page.context.close()


def test_quick_exit_leaves_and_no_page_of_the_site_is_left_in_the_history(page, live_server, region) -> None:
    page.goto("about:blank")
    page.goto(live_server.url + "/")
    page.locator('a[href="/informatie/"]').first.click()
    page.wait_for_url("**/informatie/")
    page.locator('a[href="/informatie/veilig-internetten/"]').first.click()
    page.get_by_role("heading", name="Veilig internetten").wait_for()
    check_page(page, live_server)
    page.locator('a[href="/melden/"]').first.click()
    page.wait_for_url("**/melden/")
    page.get_by_role("link", name="Snel deze site verlaten").click()
    page.wait_for_url(NEUTRAL_SITE)
    # Back leads out of the site altogether: not to the form, the information or the home page.
    page.go_back()
    assert not page.url.startswith(live_server.url), page.url
    assert page.evaluate("history.length") <= 2


def test_staff_pages_have_no_quick_exit_that_throws_work_away(page, live_server, region, intake) -> None:
    staff_login(page, live_server, intake)
    assert page.get_by_role("link", name="Snel deze site verlaten").count() == 0
    page.goto("/medewerkers/meldingen/nieuw/")
    page.get_by_label("Wat vertelde de melder?").fill("Half getypt verslag van een telefoontje.")
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/medewerkers/meldingen/nieuw/")
    assert page.get_by_label("Wat vertelde de melder?").input_value() == "Half getypt verslag van een telefoontje."


def test_escape_three_times_also_leaves(page, live_server, region) -> None:
    page.goto("/melden/")
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_SITE)


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_the_report_form_with_the_keyboard_alone(page, live_server, region) -> None:
    page.goto("/melden/")
    tab_to(page, "#id_acute_danger_0")
    page.keyboard.press("ArrowDown")  # moves to and selects "Nee"
    tab_to(page, "#id_reporter_role_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_description")
    page.keyboard.type("Alles met het toetsenbord ingevuld.")
    tab_to(page, "#id_suspected_forms_2")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:not([name=more_details])")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
    report = Report.objects.get()
    assert (report.acute_danger, report.reporter_role, report.form_values) == ("no", "victim", ["criminal"])


def test_the_report_form_without_javascript(browser, live_server, region) -> None:
    page = new_page(browser, live_server, javascript=False)
    page.goto("/melden/")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name="Controleer het volgende").wait_for()
    fill_minimal_report(page, "Zonder JavaScript verstuurd.")
    # More rows for what the reporter knows, as a plain form post: what was typed stays.
    page.locator("#id_details-0-kind").select_option("phone")
    page.locator("#id_details-0-value").fill("06-12345678")
    page.locator("#id_details-1-kind").select_option("plate")
    page.locator("#id_details-1-value").fill("12-abc-3")
    page.get_by_role("button", name="Ruimte voor meer").click()
    assert page.locator("#id_details-0-value").input_value() == "06-12345678"
    assert page.get_by_label("Wat is er gebeurd?").input_value() == "Zonder JavaScript verstuurd."
    page.locator("#id_details-2-kind").select_option("web")
    page.locator("#id_details-2-value").fill("voorbeeld.nl/advertentie/7")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
    report = Report.objects.get()
    assert report.description == "Zonder JavaScript verstuurd."
    assert sorted(report.sightings.values_list("identifier__value", flat=True)) == [
        "+31612345678",
        "12-ABC-3",
        "voorbeeld.nl/advertentie/7",
    ]
    # The quick exit is a plain link without JavaScript, to the platform's exit, which ends the visit and leaves.
    page.get_by_role("link", name="Snel deze site verlaten").click()
    page.wait_for_url(NEUTRAL_SITE)
    page.context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/melden/",
        "/volgen/",
        "/signalen/",
        "/en/melden/",
        "/pl/melden/",
        "/uk/informatie/signalen/",
        "/medewerkers/inloggen/",
    ],
)
@pytest.mark.parametrize("width", [320, 640])  # 640 CSS pixels is a 1280-pixel window at 200% zoom
def test_public_pages_fit_small_screens_and_zoom(browser, live_server, region, path, width) -> None:
    page = new_page(browser, live_server, width=width, height=800)
    try:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        check_page(page, live_server)
    finally:
        page.context.close()


def test_the_page_checks_catch_what_they_look_for(page, live_server, region) -> None:
    """The harness itself: an image without a text alternative, and a request to another host, both fail."""
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/none.png\">')")
    with pytest.raises(AssertionError, match="image-alt"):
        check_page(page, live_server)
    page.goto("/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img alt=\"\" src=\"https://tracker.example/p.gif\">')"
    )
    with pytest.raises(AssertionError):
        check_page(page, live_server)


# What a visitor reads and clicks in the signals journey, per language.
CHECK_JOURNEY = {
    "nl": {
        "start": "Signalen checken",
        "audience": "Ik maak me zorgen om iemand anders",
        "next": "Volgende",
        "questions": "Wat herken je?",
        "show": "Laat zien wat dit kan betekenen",
        "result": "Waar je antwoorden op kunnen wijzen",
        "labour": "Arbeidsuitbuiting",
        "report": "Doe een melding met deze antwoorden",
        "form": "Melding doen",
        "no": "Nee",
        "role": "Ik maak me zorgen om iemand (familie, vriend, buur)",
        "what": "Wat is er gebeurd?",
        "send": "Melding versturen",
        "thanks": "Dank je wel. We hebben je melding ontvangen.",
    },
    "pl": {
        "start": "Sprawdź sygnały",
        "audience": "Martwię się o kogoś innego",
        "next": "Dalej",
        "questions": "Co z tego Pan/Pani rozpoznaje?",
        "show": "Pokaż, co to może oznaczać",
        "result": "Na co mogą wskazywać odpowiedzi",
        "labour": "Wyzysk w pracy",
        "report": "Złóż zgłoszenie z tymi odpowiedziami",
        "form": "Złóż zgłoszenie",
        "no": "Nie",
        "role": "Martwię się o kogoś (rodzina, znajomi, sąsiedzi)",
        "what": "Co się stało?",
        "send": "Wyślij zgłoszenie",
        "thanks": "Dziękujemy. Otrzymaliśmy zgłoszenie.",
    },
}


@pytest.mark.parametrize("language", CHECK_JOURNEY)
def test_signals_check_to_result_to_report(page, live_server, region, language) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("load_indicators", stdout=StringIO())
    say = CHECK_JOURNEY[language]
    page.goto("/" if language == "nl" else f"/{language}/")
    page.get_by_role("link", name=say["start"]).first.click()
    check_page(page, live_server)
    page.get_by_label(say["audience"]).check()
    page.get_by_role("button", name=say["next"]).click()
    # Short steps: what someone has to do first, then pressure and control, each with its own page.
    page.get_by_role("group", name=say["questions"]).wait_for()
    check_page(page, live_server)
    page.locator("#signal-G4").check()  # long working days
    page.get_by_role("button", name=say["next"]).click()
    page.locator("#signal-G6").check()  # no access to own passport
    while not page.get_by_role("button", name=say["show"]).count():
        page.get_by_role("button", name=say["next"]).click()
        page.locator("main h1").wait_for()
    check_page(page, live_server)
    page.get_by_role("button", name=say["show"]).click()
    page.get_by_role("heading", name=say["result"]).wait_for()
    check_page(page, live_server)
    assert page.get_by_text(say["labour"]).first.is_visible()
    page.get_by_role("button", name=say["report"]).click()
    page.get_by_role("heading", name=say["form"], exact=True).wait_for()
    check_page(page, live_server)
    assert page.get_by_label(say["labour"]).is_checked()
    page.get_by_label(say["no"], exact=True).first.check()
    page.get_by_label(say["role"]).check()
    page.get_by_label(say["what"]).fill("Via de signalencheck.")
    page.get_by_role("button", name=say["send"]).click()
    page.get_by_role("heading", name=say["thanks"]).wait_for()
    report = Report.objects.get()
    assert report.language == language
    assert sorted(report.signals.values_list("indicator__code", flat=True)) == ["G4", "G6"]


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ro", "bg", "uk"])
def test_every_public_page_is_accessible_in_every_language(page, live_server, region, language) -> None:
    """Each public page and step in each language: WCAG 2.1 AA, in that language, no CSP error, no other host."""
    from io import StringIO

    from django.core.management import call_command

    from kenniscentrum.knowledge.pages import PAGES

    call_command("load_indicators", stdout=StringIO())
    prefix = "" if language == "nl" else f"/{language}"

    def visit(path: str) -> None:
        page.goto(prefix + path)
        check_page_in(language)

    def check_page_in(expected: str) -> None:
        assert page.locator("html").get_attribute("lang") == expected, page.url
        check_page(page, live_server)

    for path in ["/", "/volgen/", "/informatie/", *[f"/informatie/{slug}/" for slug, _ in PAGES], "/bestaat-niet/"]:
        visit(path)
    # The signals check, step by step, for a professional (with a field) and for a perpetrator.
    visit("/signalen/")
    page.locator('input[name="audience"][value="professional"]').check()
    page.locator('select[name="sector"]').select_option("employer")
    page.locator("main form button[type=submit]").click()
    page.locator("#signal-G3").wait_for()  # dangerous, unhealthy or degrading work (with the ILO's), first step
    check_page_in(language)
    page.locator("#signal-G3").check()
    while not page.locator('input[name="acute"][value="yes"]').count():
        page.locator('main form button[value="next"]').click()
        page.locator("main h1").wait_for()
    check_page_in(language)
    page.locator('input[name="acute"][value="yes"]').check()
    page.locator("main form button[type=submit]").first.click()
    page.locator('input[name="check_signals"][value="G3"]').wait_for(state="attached")
    check_page_in(language)
    visit("/signalen/")
    page.locator('input[name="audience"][value="perpetrator"]').check()
    page.locator("main form button[type=submit]").click()
    page.locator(f'a[href="{prefix}/informatie/hulp-om-te-stoppen/"]').wait_for()
    check_page_in(language)
    # The report form with an error, the receipt, and the follow-up with the receipt code.
    visit("/melden/")
    page.locator("main form button[type=submit]").last.click()
    page.locator(".error-summary").wait_for()
    check_page_in(language)
    page.locator('input[name="acute_danger"][value="no"]').check()
    page.locator('input[name="reporter_role"][value="concerned"]').check()
    page.locator('textarea[name="description"]').fill("Test in every language.")
    page.locator("main form button[type=submit]").last.click()
    code = page.locator(".receipt-code").inner_text()
    check_page_in(language)
    visit("/volgen/")
    page.locator('input[name="code"]').fill(code)
    page.locator("main form button[type=submit]").click()
    page.locator('textarea[name="body"]').wait_for()
    check_page_in(language)


def test_a_report_becomes_a_case_carried_out_with_partners(browser, page, live_server, region, director) -> None:
    """Report -> case -> plan with a task -> referral accepted by a partner user -> meeting with a decision ->
    close -> evaluate, each page checked for WCAG 2.1 AA."""
    from django.utils import timezone

    from kenniscentrum.accounts.models import Role
    from kenniscentrum.cases.models import Case
    from kenniscentrum.organisations.models import Organisation, OrganisationType
    from kenniscentrum.referrals.models import Referral
    from tests.conftest import make_user, submit_report

    report = submit_report(description="Zes mannen slapen in een loods en werken zonder loon.").report
    care = Organisation.objects.filter(type=OrganisationType.CARE).order_by("name").first()
    police = Organisation.objects.filter(type=OrganisationType.POLICE).order_by("name").first()
    care_worker = make_user("zara", Role.PARTNER, OrganisationType.CARE)

    def save(action: str) -> None:
        with page.expect_navigation():
            page.locator(f"#action-{action} button[type=submit]").click()
        page.locator(".success").wait_for()
        check_page(page, live_server)

    def open_action(action: str) -> Any:
        page.locator(f"#action-{action} summary").click()
        return page.locator(f"#action-{action}")

    staff_login(page, live_server, director)
    page.goto(f"/medewerkers/meldingen/{report.pk}/")
    page.get_by_role("link", name="Casus openen of koppelen").click()
    check_page(page, live_server)
    page.get_by_label("Werktitel van de nieuwe casus").fill("Werkers in een loods")
    page.get_by_role("button", name="Casus openen").click()
    case = Case.objects.get()
    page.get_by_role("heading", name=f"Casus {case.reference}: Werkers in een loods").wait_for()
    check_page(page, live_server)

    open_action("to_risk_assessment")
    save("to_risk_assessment")
    form = open_action("risk")
    form.locator('select[name="risk-level"]').select_option("high")
    form.locator('textarea[name="risk-factors"]').fill("Wonen en werk bij dezelfde baas; schuld voor de reis.")
    form.locator('input[name="risk-assessed_on"]').fill(timezone.localdate().isoformat())
    save("risk")
    open_action("to_plan")
    save("to_plan")
    form = open_action("update")
    form.locator('select[name="update-coordinator_organisation"]').select_option(str(care.pk))
    save("update")
    # The police get access first: a task goes only to an organisation that can see the case.
    form = open_action("task")
    assert form.locator(f'select[name="task-owner_organisation"] option[value="{police.pk}"]').count() == 0
    form = open_action("grant")
    form.locator('select[name="grant-organisation"]').select_option(str(police.pk))
    form.locator('input[name="grant-purpose"]').fill("Huisbezoek")
    form.locator('select[name="grant-legal_basis"]').select_option("public_task")
    form.locator('input[name="grant-valid_until"]').fill((timezone.localdate() + timedelta(days=90)).isoformat())
    save("grant")
    form = open_action("task")
    form.locator('input[name="task-title"]').fill("Huisbezoek met de politie")
    form.locator('select[name="task-owner_organisation"]').select_option(str(police.pk))
    save("task")
    open_action("start")
    save("start")
    assert page.get_by_text("Status: In uitvoering").first.is_visible()

    page.get_by_role("link", name="Verwijzing voorstellen").click()
    check_page(page, live_server)
    page.locator('select[name="referral-organisation"]').select_option(str(care.pk))
    page.get_by_label("Doel").fill("Opvang en begeleiding voor de werkers")
    page.locator('select[name="referral-legal_basis"]').select_option("consent")
    page.get_by_label("Gegeven").check()
    page.get_by_role("button", name="Verwijzing voorstellen").click()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("is nu: Verstuurd").wait_for()
    check_page(page, live_server)

    partner_page = new_page(browser, live_server)
    staff_login_partner(partner_page, live_server, care_worker)
    partner_page.get_by_role("link", name="Verwijzingen").first.click()
    partner_page.get_by_role("link", name=str(care)).click()
    check_page(partner_page, live_server)
    partner_page.get_by_role("button", name="Accepteren").click()
    partner_page.get_by_text("is nu: Geaccepteerd").wait_for()
    assert Referral.objects.get().status == "accepted"
    partner_page.get_by_role("link", name=case.reference).click()
    partner_page.get_by_role("heading", name=f"Casus {case.reference}: Werkers in een loods").wait_for()
    check_page(partner_page, live_server)
    assert partner_page.get_by_text("Zes mannen slapen").count() == 0  # the report itself is not shared
    partner_page.context.close()

    page.goto("/medewerkers/overleggen/")
    page.get_by_role("link", name="Overleg plannen").click()
    page.get_by_label("Casusoverleg").check()
    page.locator('input[name="held_at"]').fill(timezone.localtime().strftime("%Y-%m-%dT10:00"))
    page.get_by_label(str(care)).check()
    page.get_by_role("button", name="Overleg plannen").click()
    page.locator("summary", has_text="Casus op de agenda zetten").click()
    page.get_by_label("Casusnummer").fill(case.reference)
    page.get_by_role("button", name="Op de agenda zetten").click()
    page.get_by_text("Casus op de agenda gezet.").wait_for()
    item = page.locator("section.agenda-item").first
    item.locator("textarea[name$='-text']").fill("Zorg regelt opvang; politie plant een huisbezoek.")
    item.locator("input[name$='-title']").fill("Opvang regelen")
    item.locator("select[name$='-owner_organisation']").select_option(str(care.pk))
    item.get_by_role("button", name="Besluit vastleggen").click()
    page.locator(".success", has_text="vastgelegd").wait_for()
    check_page(page, live_server)
    assert case.tasks.filter(title="Opvang regelen", decision__isnull=False).exists()
    # Printed, the meeting shows its agenda and decisions without menus or forms.
    page.emulate_media(media="print")
    assert page.get_by_text("Zorg regelt opvang; politie plant een huisbezoek.").is_visible()
    assert not page.get_by_role("button", name="Besluit vastleggen").is_visible()
    assert not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")

    page.goto(f"/medewerkers/meldingen/{report.pk}/")
    page.locator("#action-feedback summary").click()
    page.locator('#action-feedback select[name="feedback-feedback_method"]').select_option("phone")
    page.locator("#action-feedback button[type=submit]").click()
    page.get_by_text("Terugkoppeling aan de melder vastgelegd.").wait_for()
    page.goto(f"/medewerkers/casussen/{case.pk}/")
    form = open_action("close")
    form.locator("textarea").fill("Werkers veilig ondergebracht; onderzoek loopt bij de politie.")
    save("close")
    form = open_action("evaluate")
    form.locator("textarea").fill("Snelle opvang dankzij de verwijzing; huisbezoek kwam laat.")
    save("evaluate")
    case.refresh_from_db()
    assert case.status == "evaluated"
    assert page.get_by_text("Besluit in Casusoverleg").first.is_visible()  # the meeting decision on the timeline


def staff_login_partner(page: Any, live_server: Any, user: Any) -> None:
    """Like staff_login, for a partner: their work starts on the start page, with no triage queue."""
    page.goto("/medewerkers/inloggen/")
    enter_password_and_code(page, live_server, user)
    page.get_by_role("heading", name="Mijn werk", exact=True).wait_for()
    check_page(page, live_server)


def test_a_new_colleague_enrols_with_the_admins_code(page, live_server, region, intake, admin_user) -> None:
    from kenniscentrum.accounts.services import enrolment_code_issue

    code, _record = enrolment_code_issue(user=intake, actor=admin_user)
    page.goto("/medewerkers/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(intake.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    # The password alone shows no authenticator key: first the code from the administrator.
    page.get_by_label("Koppelcode van de functioneel beheerder").wait_for()
    assert page.locator("img[alt]").count() == 0
    check_page(page, live_server)
    page.get_by_label("Koppelcode van de functioneel beheerder").fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("link", name="Deze koppelcode klopt niet").wait_for()
    check_page(page, live_server)
    page.get_by_label("Koppelcode van de functioneel beheerder").fill(code)
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    assert page.locator("img[alt]").count() == 1  # now the QR code
    check_page(page, live_server)
    device = Authenticator.objects.get(user=intake, confirmed=False)
    token = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    page.get_by_label("Zescijferige code uit je authenticator-app").fill(token)
    page.get_by_role("button", name="Bevestigen en inloggen").click()
    page.get_by_role("heading", name="Mijn werk", exact=True).wait_for()


def test_after_a_failed_submit_the_error_summary_has_focus_and_files_are_asked_again(
    page, live_server, region, tmp_path
) -> None:
    page.goto("/melden/")
    page.get_by_label("Foto's of documenten").set_input_files(str(photo(tmp_path)))
    page.get_by_label("Wat is er gebeurd?").fill("Ik ben de vraag over gevaar vergeten.")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name="Controleer het volgende").wait_for()
    expect(page.locator("#error-summary")).to_be_focused()  # autofocus, applied when the page has loaded
    summary = page.locator("#error-summary").inner_text()
    assert "Kies de bestanden opnieuw" in summary  # the photo is not silently gone
    assert page.get_by_label("Wat is er gebeurd?").input_value() == "Ik ben de vraag over gevaar vergeten."
    check_page(page, live_server)


def test_each_problem_in_the_error_summary_is_a_sentence_that_takes_you_to_its_question(
    page, live_server, region
) -> None:
    page.goto("/melden/")
    page.get_by_label("Wat is er gebeurd?").fill("Ik heb de eerste vragen overgeslagen.")
    page.get_by_role("button", name="Melding versturen").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    entries = summary.get_by_role("listitem").all_inner_texts()
    assert entries and not [entry for entry in entries if "?:" in entry], entries
    # Following the first problem with the keyboard lands on the first answer of its question.
    summary.get_by_role("link", name="Geef aan of iemand nu in gevaar is.").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_acute_danger_0")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Nee", exact=True).first).to_be_checked()
    check_page(page, live_server)


def test_phone_fields_bring_up_a_phone_keypad_and_long_texts_show_the_room_left(page, live_server, region) -> None:
    page.goto("/melden/")
    assert page.locator("#id_reporter_phone").get_attribute("type") == "tel"
    page.get_by_label("Wat is er gebeurd?").fill("x" * 25)
    assert page.locator(".chars-left").inner_text() == "Nog 9.975 tekens over"


def test_on_a_phone_the_report_button_is_visible_without_scrolling(browser, live_server, region) -> None:
    page = new_page(browser, live_server, width=390, height=844)
    for prefix in ("", "/en", "/pl", "/ro", "/bg", "/uk"):
        page.goto(prefix + "/")
        box = page.locator(f'main a.utrecht-button-link[href="{prefix}/melden/"]').first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, prefix
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, prefix
    page.goto("/")
    # The current language is marked by more than colour, and a favicon exists.
    current = page.locator(".language-switch a[aria-current]")
    assert current.inner_text().strip().endswith("Nederlands")
    assert current.evaluate("a => getComputedStyle(a).fontWeight") == "700"
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
    page.context.close()


def test_back_after_submitting_and_sending_again_makes_no_second_report(page, live_server, region) -> None:
    page.goto("/melden/")
    fill_minimal_report(page, "Eén melding, twee keer verstuurd.")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
    code = page.locator(".receipt-code").inner_text()
    page.go_back()
    page.get_by_role("button", name="Melding versturen").wait_for()
    # The browser does not fill in what was typed again (autocomplete="off"): what was sent is not one Back away
    # for the next person on the device. The form carries the spent token, so the same report sent again is one.
    assert page.get_by_label("Wat is er gebeurd?").input_value() == ""
    fill_minimal_report(page, "Eén melding, twee keer verstuurd.")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_text("Je hebt deze melding twee keer verstuurd").wait_for()
    assert page.locator(".receipt-code").inner_text() == code
    assert Report.objects.count() == 1


def test_back_and_sending_again_without_javascript_makes_no_second_report(browser, live_server, region) -> None:
    """Without JavaScript, Back fetches the form again from the server; it carries the spent form token."""
    page = new_page(browser, live_server, javascript=False)
    try:
        page.goto("/melden/")
        fill_minimal_report(page, "Eén melding, zonder JavaScript twee keer verstuurd.")
        page.get_by_role("button", name="Melding versturen").click()
        page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
        code = page.locator(".receipt-code").inner_text()
        page.go_back()
        page.get_by_text("ongewijzigd opnieuw verstuurt, bewaren we alleen die eerste melding;", exact=False).wait_for()
        fill_minimal_report(page, "Eén melding, zonder JavaScript twee keer verstuurd.")
        page.get_by_role("button", name="Melding versturen").click()
        page.get_by_text("Je hebt deze melding twee keer verstuurd").wait_for()
        assert page.locator(".receipt-code").inner_text() == code
        assert Report.objects.count() == 1
        # A new, separate report is one link away.
        page.goto("/melden/")
        page.get_by_role("link", name="Begin een nieuwe, aparte melding").click()
        fill_minimal_report(page, "Een tweede, andere melding.")
        page.get_by_role("button", name="Melding versturen").click()
        page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
        assert Report.objects.count() == 2
    finally:
        page.context.close()


def test_a_note_typed_while_the_session_ends_is_there_again_after_logging_in(page, live_server, region) -> None:
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from kenniscentrum.accounts.models import Role
    from kenniscentrum.cases.services import case_open_from_report
    from kenniscentrum.organisations.models import OrganisationType
    from tests.conftest import make_user, submit_report

    director = make_user("ruben", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)
    case = case_open_from_report(report=submit_report().report, title="Loods", actor=director)
    typed = "Mila belde vanochtend: ze durft niet terug naar het adres in Hengelo."
    staff_login(page, live_server, director)
    page.goto(f"/medewerkers/casussen/{case.pk}/")
    page.locator("#action-note summary").click()
    page.locator("#action-note textarea").fill(typed)
    page.locator('#action-note input[value="shared"]').check()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    page.locator("#action-note button[type=submit]").click()
    page.get_by_text("Je sessie is beëindigd").wait_for()
    page.get_by_text("Wat je aan het versturen was, is bewaard").wait_for()
    # A code is taken once: the second login stands for one some minutes later.
    Authenticator.objects.filter(user=director).update(last_t=-1)
    enter_password_and_code(page, live_server, director)
    page.get_by_text("staat hieronder weer ingevuld").wait_for()
    expect(page.locator("#action-note textarea")).to_have_value(typed)
    assert page.url.endswith(f"/medewerkers/casussen/{case.pk}/")
    assert page.locator("#action-note textarea").input_value() == typed
    assert page.locator("#action-note").get_attribute("open") is not None
    assert page.locator('#action-note input[value="shared"]').is_checked()
    check_page(page, live_server)
    with page.expect_navigation():
        page.locator("#action-note button[type=submit]").click()
    assert case.notes.filter(body=typed).count() == 1


def test_the_queue_fits_a_laptop_screen_with_acute_danger_on_top(browser, live_server, region) -> None:
    from kenniscentrum.accounts.models import Role
    from kenniscentrum.organisations.models import OrganisationType
    from tests.conftest import make_user, submit_report

    intake = make_user("ilse", Role.INTAKE, OrganisationType.KNOWLEDGE_CENTRE)
    for _ in range(3):
        submit_report(forms=["labour", "sexual", "criminal"], place="Een lange plaatsnaam aan de rand van Enschede")
    acute = submit_report(acute_danger="yes").report
    page = new_page(browser, live_server, width=1366, height=768)
    try:
        staff_login(page, live_server, intake)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the queue scrolls sideways by {overflow}px at 1366px"
        first = page.locator("main table tbody tr").first
        assert acute.reference in first.inner_text() and "Acuut gevaar" in first.inner_text()
        check_page(page, live_server)
    finally:
        page.context.close()


def test_staff_pages_are_accessible_and_a_refused_step_keeps_what_was_typed(page, live_server, region) -> None:
    from kenniscentrum.accounts.models import Role
    from kenniscentrum.cases.services import case_open_from_report
    from kenniscentrum.organisations.models import OrganisationType
    from tests.conftest import make_user, submit_report

    director = make_user("ruben", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)
    report = submit_report(acute_danger="yes").report
    case = case_open_from_report(report=report, title="Loods", actor=director)
    staff_login(page, live_server, director)
    for path in [
        "/medewerkers/meldingen/?sort=newest&q=loods",
        f"/medewerkers/meldingen/{report.pk}/",
        f"/medewerkers/meldingen/{report.pk}/inzage/",
        f"/medewerkers/casussen/{case.pk}/personen/nieuw/?zoek=ab",
        "/medewerkers/overleggen/",
        "/medewerkers/taken/",
        "/medewerkers/berichten/",
        "/medewerkers/comensha/",
        "/medewerkers/uitloggen/",
    ]:
        page.goto(path)
        check_page(page, live_server)
    page.goto(f"/medewerkers/casussen/{case.pk}/")
    page.locator("#action-close summary").click()
    assert "nog niet mogelijk" in page.locator("#action-close summary").inner_text()
    page.locator("#action-close textarea").fill("De betrokkene is veilig.")
    page.locator("#action-close button[type=submit]").click()
    page.locator("#action-close .error-summary").wait_for()
    assert page.locator("#action-close textarea").input_value() == "De betrokkene is veilig."
    check_page(page, live_server)


@pytest.fixture
def duty_address(tmp_path, settings):
    from tests.conftest import region_file_changed

    yield from region_file_changed(
        settings, tmp_path, lambda data: data["notifications"].update(duty_address="piket@example.test")
    )


def test_an_urgent_report_to_a_victims_trajectory_handed_to_another_region(
    browser, page, live_server, region, director, smtp, duty_address
) -> None:
    """Urgent report -> duty mail -> triage within the term -> case -> CoMensha registration -> B8/3 offered ->
    shelter -> handover to another region, accepted; each page checked for WCAG 2.1 AA."""
    from django.utils import timezone

    from kenniscentrum.cases.models import Case, Handover
    from kenniscentrum.notifications.services import outbox_send
    from kenniscentrum.organisations.models import Organisation, OrganisationType

    other = Organisation.objects.create(
        name="Kenniscentrum Mensenhandel Voorbeeldregio",
        type=OrganisationType.KNOWLEDGE_CENTRE,
        other_region="Voorbeeld",
    )
    shelter = Organisation.objects.filter(type=OrganisationType.CARE).order_by("name").first()
    today = timezone.localdate().isoformat()

    reporter = new_page(browser, live_server)
    reporter.goto("/melden/")
    reporter.locator('input[name="acute_danger"][value="yes"]').check()
    reporter.get_by_label("Ik maak me zorgen om iemand (familie, vriend, buur)").check()
    reporter.get_by_label("Wat is er gebeurd?").fill("Een vrouw uit Lagos wordt in een woning vastgehouden.")
    reporter.get_by_role("button", name="Melding versturen").click()
    reporter.locator(".receipt-code").wait_for()
    reporter.context.close()
    report = Report.objects.get()
    assert report.priority == "urgent" and report.triage_due_at is not None

    # The duty address hears at once, and learns nothing of the report from the mail.
    outbox_send()
    duty = [m for m in smtp.messages if m["X-Rcpt"] == "piket@example.test"]
    assert len(duty) == 1
    body = duty[0].get_payload(decode=True).decode()
    assert f"/medewerkers/meldingen/{report.pk}/" in body and "Lagos" not in body and report.reference not in body

    def open_action(action: str) -> Any:
        page.locator(f"#action-{action} summary").click()
        return page.locator(f"#action-{action}")

    def save(action: str) -> None:
        with page.expect_navigation():
            page.locator(f"#action-{action} button[type=submit]").click()
        page.locator(".success").wait_for()
        check_page(page, live_server)

    staff_login(page, live_server, director)
    row = page.locator("tbody tr", has_text=report.reference)
    assert "triage: nog" in row.inner_text()  # within the term, with the time left
    page.get_by_role("link", name=report.reference).click()
    page.get_by_role("button", name="Triage starten").click()
    page.get_by_role("link", name="Casus openen of koppelen").click()
    check_page(page, live_server)
    page.get_by_label("Werktitel van de nieuwe casus").fill("Vrouw in een woning")
    page.get_by_role("button", name="Casus openen").click()
    case = Case.objects.get()
    report.refresh_from_db()
    opened = report.transitions.get(transition="open_case").created_at
    assert opened <= report.triage_due_at, "triaged within the term"
    page.get_by_role("heading", name=f"Casus {case.reference}: Vrouw in een woning").wait_for()
    check_page(page, live_server)

    page.get_by_role("link", name="Persoon toevoegen").click()
    check_page(page, live_server)
    page.locator('input[name="person-first_name"]').fill("Grace")
    page.locator('input[name="person-nationalities"]').fill("NG")
    page.locator('select[name="role-role"]').select_option("victim")
    page.locator('input[name="role-age_at_start"]').fill("24")
    with page.expect_navigation():
        page.locator("form:has(input[name=which][value=new]) button[type=submit]").click()
    check_page(page, live_server)
    victim = case.involvements.get(role="victim")

    form = open_action("comensha")
    form.locator('select[name="comensha-involvement"]').select_option(str(victim.pk))
    form.locator('select[name="comensha-kind"]').select_option("registration_shelter")
    form.locator('input[name="comensha-registered_on"]').fill(today)
    form.locator('select[name="comensha-legal_basis"]').select_option("vital_interest")
    save("comensha")
    form = open_action("reflection")
    form.locator('select[name="reflection-involvement"]').select_option(str(victim.pk))
    form.locator('select[name="reflection-route"]').select_option("b8_3")
    form.locator('input[name="reflection-offered_on"]').fill(today)
    form.locator('select[name="reflection-answer"]').select_option("pending")
    save("reflection")
    form = open_action("shelter")
    form.locator('select[name="shelter-involvement"]').select_option(str(victim.pk))
    form.locator('select[name="shelter-kind"]').select_option("categorical")
    form.locator('select[name="shelter-organisation"]').select_option(str(shelter.pk))
    form.locator('input[name="shelter-placed_on"]').fill(today)
    save("shelter")
    assert page.get_by_text("Grace: Registratie en opvang").first.is_visible()  # also in the timeline now

    # The vital interest allows no plan of action in the summary: refused, with what was typed kept.
    form = open_action("handover")
    form.locator('select[name="handover-organisation"]').select_option(str(other.pk))
    form.locator('select[name="handover-involvement"]').select_option(str(victim.pk))
    form.locator('input[name="handover-handed_on"]').fill(today)
    form.locator('textarea[name="handover-reason"]').fill("Grace verhuist naar de Voorbeeldregio.")
    form.locator('select[name="handover-legal_basis"]').select_option("consent")
    form.get_by_label("Wie de mogelijke slachtoffers zijn").check()
    form.get_by_label("Het traject: aanmelding bij CoMensha").check()
    form.get_by_label("Het plan van aanpak").check()
    form.locator('select[name="handover-legal_basis"]').select_option("vital_interest")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.get_by_text("Op deze grondslag mag de overdracht niet delen").wait_for()
    check_page(page, live_server)
    form = page.locator("#action-handover")
    assert form.locator('textarea[name="handover-reason"]').input_value() == "Grace verhuist naar de Voorbeeldregio."
    form.locator('select[name="handover-legal_basis"]').select_option("consent")
    save("handover")

    handover = Handover.objects.get()
    page.get_by_role("link", name="De overdrachtssamenvatting afdrukken").click()
    page.get_by_role("heading", name="Overdrachtssamenvatting").wait_for()
    check_page(page, live_server)
    assert page.get_by_text("Categorale opvang").first.is_visible() and page.get_by_text("B8/3").first.is_visible()
    assert page.get_by_text("Een vrouw uit Lagos").count() == 0  # the report is never part of it
    page.go_back()

    form = open_action(f"handover{handover.pk}-record_acceptance")
    form.locator("textarea").fill("Zorgcoördinator Voorbeeldregio, per telefoon")
    save(f"handover{handover.pk}-record_acceptance")
    handover.refresh_from_db()
    assert handover.status == "accepted"
    assert page.get_by_text("Kenniscentrum Mensenhandel Voorbeeldregio is nu verantwoordelijk.").is_visible()
    # The trajectory is the other centre's now: nothing more is recorded on it here.
    assert page.locator("#action-reflection").count() == 0 and page.locator("#action-shelter").count() == 0


def test_a_number_seen_before_leads_through_the_network_to_one_human(
    browser, page, live_server, region, director
) -> None:
    """A report whose phone number was seen in an earlier case -> seen before -> the network -> the review list ->
    confirm; each page checked for WCAG 2.1 AA."""
    from datetime import date

    from kenniscentrum.cases.services import case_open_from_report, person_add
    from kenniscentrum.lib.vocabulary import InvolvementRole
    from kenniscentrum.linking.models import PersonMatch
    from kenniscentrum.linking.services import identifier_record, persons_match
    from tests.conftest import submit_report

    earlier = case_open_from_report(report=submit_report().report, title="Vrouw in een woning", actor=director)
    victim = person_add(case=earlier, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=30,
                        person_data={"first_name": "Olena", "last_name": "Kovalenko", "birthdate": date(1990, 4, 12),
                                     "nationalities": ["UA"]})  # fmt: skip
    identifier_record(kind="phone", text="06-12345678", actor=director, source="staff", person=victim.person)
    second = case_open_from_report(report=submit_report().report, title="Werk in een kas", actor=director)
    person_add(case=second, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=30,
               person_data={"first_name": "Олена", "last_name": "Коваленко", "birthdate": date(1990, 4, 12),
                            "nationalities": ["UA"]})  # fmt: skip

    reporter = new_page(browser, live_server)
    reporter.goto("/melden/")
    fill_minimal_report(reporter, "Een vrouw wordt steeds gebeld en opgehaald.")
    reporter.locator("#id_details-0-kind").select_option("phone")
    reporter.locator("#id_details-0-value").fill("+31 6 1234 5678")
    reporter.get_by_role("button", name="Melding versturen").click()
    reporter.locator(".receipt-code").wait_for()
    reporter.context.close()
    report = Report.objects.exclude(case__isnull=False).get()

    staff_login(page, live_server, director)
    page.goto(f"/medewerkers/meldingen/{report.pk}/")
    seen = page.locator("section.linking")
    seen.get_by_role("link", name="Persoon Olena Kovalenko").wait_for()
    check_page(page, live_server)
    seen.get_by_role("link", name="Het netwerk tonen").click()
    page.get_by_role("heading", name=f"Netwerk: {report.reference}").wait_for()
    assert page.locator("svg[role=group]").is_visible()
    assert page.get_by_role("cell", name="Olena Kovalenko").is_visible()
    check_page(page, live_server)

    persons_match()
    match = PersonMatch.objects.get()
    page.goto("/medewerkers/koppelingen/personen/")
    check_page(page, live_server)
    section = page.locator(f"#match-{match.pk}").locator("xpath=..")
    section.get_by_label("Waarom (nodig om te bevestigen)").fill(
        "Zelfde geboortedatum en nationaliteit, naam in twee schriften"
    )
    section.get_by_role("button", name="zijn één mens").click()
    page.get_by_text("Vastgelegd: Dezelfde mens.").wait_for()
    check_page(page, live_server)
    match.refresh_from_db()
    assert match.status == "confirmed" and match.decided_by == director
    page.goto(f"/medewerkers/personen/{victim.person.pk}/")
    page.get_by_role("link", name="Олена Коваленко").wait_for()
    check_page(page, live_server)


def test_an_analyst_reads_the_monitor_prints_a_municipality_report_and_downloads_a_table(
    browser, page, live_server, region, analyst
) -> None:
    """Analyst login -> the published year's key figures -> the contents -> one municipality -> its report (print
    and PDF) -> a CSV export -> the same in English; axe clean on every page."""
    from datetime import date, datetime

    from django.utils import timezone

    from kenniscentrum.accounts.models import Role
    from kenniscentrum.insights import publication
    from kenniscentrum.insights.figures import figures_refresh
    from kenniscentrum.organisations.models import Municipality, OrganisationType
    from kenniscentrum.reports.models import Report
    from tests.conftest import make_user, submit_report

    enschede = Municipality.objects.get(cbs_code="GM0153")
    for n in range(9):
        submit_report(municipality=enschede, reporter_role="professional" if n % 3 else "concerned")
    submit_report(municipality=Municipality.objects.get(cbs_code="GM0164"))
    year = date.today().year - 1
    Report.objects.update(received_at=timezone.make_aware(datetime(year, 5, 1)))
    figures_refresh()
    publication.make_release(year, make_user("carla", Role.ANALYST, OrganisationType.KNOWLEDGE_CENTRE))

    page.goto("/medewerkers/inloggen/")
    enter_password_and_code(page, live_server, analyst)
    page.get_by_role("heading", name=f"Monitor {year}", exact=True).wait_for()  # an analyst starts at the monitor
    check_page(page, live_server)
    # Key figures first, then a contents list that jumps to each section.
    assert page.locator(".key-figures li").first.inner_text().startswith("Meldingen")
    page.get_by_role("navigation", name="Op deze pagina").get_by_role("link", name="Per gemeente").click()
    page.wait_for_url("**#gemeenten")
    assert page.locator("svg[role=img]").count() >= 1
    page.get_by_label("Gemeente waar het gebeurt").select_option("GM0153")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("heading", name=f"Monitor {year}: Enschede").wait_for()
    check_page(page, live_server)
    page.get_by_role("link", name=f"De rapportage voor Enschede, {year}").click()
    page.get_by_role("heading", name=f"Mensenhandel in Enschede, {year}").wait_for()
    check_page(page, live_server)
    page.emulate_media(media="print")
    assert not page.locator("nav.staff-nav").is_visible() and not page.get_by_text("Download als pdf").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download als pdf").click()
    assert pdf.value.suggested_filename == f"monitor-enschede-{year}.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Terug naar de monitor").click()
    page.get_by_role("heading", name=f"Monitor {year}", exact=True).wait_for()
    with page.expect_download() as table:
        page.get_by_role("link", name="CSV – Meldingen per melder").click()
    text = Path(table.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith(f"Meldingen per melder;{year}") and "< 5" in text
    # The same in English: the labels, the age bands and the report.
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name=f"Monitor {year}", exact=True).wait_for()
    check_page(page, live_server)
    assert page.get_by_role("rowheader", name="Minors (under 18)").is_visible()
    assert page.get_by_role("rowheader", name="0-8 years", exact=True).is_visible()
    page.goto(f"/en/medewerkers/monitor/rapport/GM0153/{year}/")
    page.get_by_role("heading", name=f"Human trafficking in Enschede, {year}").wait_for()
    check_page(page, live_server)
