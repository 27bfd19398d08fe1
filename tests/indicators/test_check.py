"""The public signals check: scoring, the minors rule, danger first, honesty without signals, prefill."""

import re
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

from kenniscentrum.audit.models import AuditEvent
from kenniscentrum.indicators.check import PLAIN_ELEMENTS, STEP_MOST, check_score, question_of
from kenniscentrum.indicators.models import CheckTally, Indicator, LegalElement
from kenniscentrum.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(region) -> None:
    call_command("load_indicators", stdout=StringIO())


def answers(**overrides):
    data = {"audience": "concerned", "sector": "", "signals": [], "minor": "unknown", "acute": "no"}
    data.update(overrides)
    return data


def walk(client, audience: str, sector: str = "", prefix: str = "", signals=()) -> list:
    """Every step of the check, from the first to the closing questions, pressing Next each time."""
    data = {"audience": audience, "sector": sector}
    pages = [client.post(f"{prefix}/signalen/vragen/", data)]
    while 'name="step"' in (html := pages[-1].content.decode()) and 'signalen/uitslag/"' not in html:
        step = re.search(r'name="step" value="(\d+)"', html).group(1)
        ticked = re.findall(r'name="signals" value="(\w+)"(?: id="signal-\w+" checked)?', html)
        hidden = re.findall(r'<input type="hidden" name="signals" value="(\w+)">', html)
        on_page = re.findall(r'name="signals" value="(\w+)" id="signal-', html)
        chosen = hidden + [code for code in on_page if code in signals]
        assert set(ticked) >= set(hidden)
        data = {"audience": audience, "sector": sector, "step": step, "signals": chosen, "go": "next"}
        data.update({"minor": "unknown", "acute": "unknown"})
        pages.append(client.post(f"{prefix}/signalen/vragen/", data))
        assert len(pages) < 12
    return pages


def shown_codes(pages) -> list[str]:
    return [
        code
        for page in pages
        for code in re.findall(r'name="signals" value="(\w+)" id="signal-', page.content.decode())
    ]


def test_each_indicator_drives_exactly_its_forms(catalogue) -> None:
    """A signal points to its own forms and elements, and to those of the near-duplicates asked with it."""
    indicators = list(Indicator.objects.filter(truncated=False))
    by_pk = {indicator.pk: indicator for indicator in indicators}
    for indicator in indicators:
        question = question_of(indicator, by_pk)
        merged = [i for i in indicators if question_of(i, by_pk) == question and (i.same_as_id or i.pk) != question.pk]
        asked = [indicator, *merged]
        result = check_score(codes=[indicator.code], audience="professional", minor=False, acute=False)
        assert set(result.form_codes) == {form for i in asked for form in i.forms}, indicator.code
        elements = {element for i in asked for element in i.elements}
        expected = [str(PLAIN_ELEMENTS[e]) for e in LegalElement if e.value in elements]
        assert [label for label, _ in result.by_element] == expected, indicator.code


def test_forms_are_ordered_by_how_many_signals_point_to_them(catalogue) -> None:
    result = check_score(codes=["A1", "A2", "G1"], audience="concerned", minor=False, acute=False)
    assert result.form_codes == ["labour", "sexual"]


def test_acute_danger_puts_112_first(client, catalogue) -> None:
    response = client.post("/signalen/uitslag/", answers(signals=["G8"], acute="yes"))
    page = response.content.decode()
    assert page.index("112") < page.index("<h1>")
    assert response.context["result"].channels[0]["phone"] == "112"


def test_the_minors_rule_is_explained_only_for_minors(client, catalogue) -> None:
    minor = client.post("/signalen/uitslag/", answers(signals=["T1"], minor="yes")).content.decode()
    adult = client.post("/signalen/uitslag/", answers(signals=["T1"], minor="no")).content.decode()
    assert "geen dwang of misleiding nodig" in minor
    assert "geen dwang of misleiding nodig" not in adult


def test_no_signals_is_said_honestly_and_still_gives_the_channels(client, catalogue) -> None:
    page = client.post("/signalen/uitslag/", answers()).content.decode()
    assert "Je hebt geen signaal aangevinkt" in page
    assert "0900-8844" in page and "0800-7000" in page


def test_labour_signals_add_the_labour_inspectorate(client, catalogue) -> None:
    labour = client.post("/signalen/uitslag/", answers(signals=["A4"])).content.decode()
    sexual = client.post("/signalen/uitslag/", answers(signals=["S1"])).content.decode()
    assert "0800-5151" in labour and "0800-5151" not in sexual


def test_questions_are_those_phrased_for_the_audience(client, catalogue) -> None:
    victim = shown_codes(walk(client, "victim"))
    concerned = shown_codes(walk(client, "concerned"))
    professional = shown_codes(walk(client, "professional"))
    # Grooming as only the person themselves knows it; what others can see of someone, only to others.
    assert "V1" in victim and "V1" not in concerned and "V1" not in professional
    assert "S18" in concerned and "S18" in professional and "S18" not in victim


@pytest.mark.parametrize("audience", ["concerned", "professional", "victim"])
def test_each_signal_is_asked_once_in_short_steps(client, catalogue, audience) -> None:
    pages = walk(client, audience)
    codes = shown_codes(pages)
    assert len(codes) == len(set(codes))
    texts = [t for page in pages for t in re.findall(r'<label for="signal-\w+">([^<]+)</label>', page.content.decode())]
    assert len(texts) == len(set(texts)) == len(codes)
    # Published in two lists, asked once: the labour inspectorate's copies of the general signals are not asked.
    assert not {f"A{i}" for i in range(1, 13)} & set(codes)
    assert all(len(re.findall('type="checkbox"', page.content.decode())) <= STEP_MOST for page in pages)
    # The most telling signals first: what someone has to do, then pressure and control.
    assert Indicator.objects.get(code=codes[0]).element == "purpose"


def test_a_signal_published_twice_names_both_sources(client, catalogue) -> None:
    first = client.post("/signalen/vragen/", {"audience": "concerned"}).content.decode()
    assert 'value="G3"' in first and ">Informatiepunt Mensenhandel</a>" in first
    assert ">Nederlandse Arbeidsinspectie</a>" in first


def test_someone_worried_about_themselves_reads_the_signals_in_the_second_person(client, catalogue) -> None:
    pages = walk(client, "victim", prefix="/en")
    html = "".join(page.content.decode() for page in pages)
    assert "You have to do dangerous, unhealthy or degrading work" in html
    assert "must do dangerous, unhealthy work" not in html
    # The self-recognition signals of grooming, sextortion and forced crime.
    assert "Someone threatens to share nude photos or videos of you" in html
    assert "A bank account, phone subscription or car is in your name for someone else" in html
    ticked = client.post("/en/signalen/uitslag/", answers(audience="victim", signals=["G3", "V3"])).content.decode()
    assert "You have to do dangerous, unhealthy or degrading work" in ticked
    assert "Someone threatens to share nude" in ticked


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ro", "bg", "uk"])
def test_every_signal_for_yourself_is_written_in_the_second_person_in_every_language(catalogue, language) -> None:
    for indicator in Indicator.objects.filter(active=True, same_as=None):
        if "victim" in indicator.audiences:
            assert getattr(indicator, f"you_{language}"), (indicator.code, language)


def test_back_and_next_keep_what_was_ticked_on_other_steps(client, catalogue) -> None:
    first = client.post("/signalen/vragen/", {"audience": "concerned"}).content.decode()
    assert 'value="G3"' in first
    second = client.post(
        "/signalen/vragen/",
        {"audience": "concerned", "step": "0", "signals": ["G3"], "go": "next", "minor": "yes", "acute": "no"},
    ).content.decode()
    assert '<input type="hidden" name="signals" value="G3">' in second and 'value="G6"' in second
    back = client.post(
        "/signalen/vragen/",
        {"audience": "concerned", "step": "1", "signals": ["G3", "G6"], "go": "back", "minor": "yes", "acute": "no"},
    ).content.decode()
    assert 'value="G3" id="signal-G3" checked' in back
    assert '<input type="hidden" name="signals" value="G6">' in back
    assert '<input type="hidden" name="minor" value="yes">' in back


@pytest.mark.parametrize(
    ("sector", "shown", "hidden"),
    [
        # Y24 is the school list's copy of S1, Y14 a near-duplicate of S7: asked where the sexual exploitation list
        # is not.
        ("education", ["G1", "Y4", "Y24", "Y14"], ["ILO3", "A1", "S1", "S7"]),
        ("employer", ["G1", "G3", "G6"], ["A1", "Y4", "S1", "ILO3"]),
        ("health", ["G1", "S1", "S7"], ["Y4", "Y24", "Y14"]),
    ],
)
def test_a_professional_field_chooses_the_lists_for_that_field(client, catalogue, sector, shown, hidden) -> None:
    pages = walk(client, "professional", sector)
    codes = shown_codes(pages)
    assert [code for code in shown if code not in codes] == []
    assert [code for code in hidden if code in codes] == []
    # The field goes along to every step, so a page shown again after an error keeps the same lists.
    assert all(f'name="sector" value="{sector}"' in page.content.decode() for page in pages)


def test_an_invalid_result_keeps_the_lists_of_the_field(client, catalogue) -> None:
    data = answers(audience="professional", sector="employer", signals=["ILO1"], minor="maybe", step="0")
    response = client.post("/signalen/uitslag/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert '<input type="hidden" name="signals" value="ILO1">' in page and 'value="Y1"' not in page
    assert 'name="sector" value="employer"' in page


def test_the_sector_is_ignored_for_other_audiences(client, catalogue) -> None:
    codes = shown_codes(walk(client, "concerned", "employer"))
    assert "S1" in codes and "Y4" in codes


def test_a_perpetrator_gets_the_confidential_route(client, catalogue) -> None:
    page = client.post("/signalen/vragen/", {"audience": "perpetrator"}).content.decode()
    assert "Hulp om te stoppen" in page and "vertrouwelijk" in page


def test_the_route_to_stop_sends_nobody_to_the_police_or_a_crime_tip_line(client, catalogue) -> None:
    from kenniscentrum.lib.region import channels

    response = client.post("/signalen/vragen/", {"audience": "perpetrator"})
    main = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    for channel in channels(["police", "meld_misdaad_anoniem"]):
        assert channel["name"] not in main
        if channel["phone"]:
            assert channel["phone"] not in main
    assert response.context["channels"] == []  # no confidential help in the region file: the page says so
    assert "geen andere vertrouwelijke hulp" in main


@pytest.mark.parametrize("audience", ["", "king", "<script>"])
def test_a_missing_or_unknown_audience_is_explained(client, catalogue, audience) -> None:
    response = client.post("/signalen/vragen/", {"audience": audience})
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden." in response.content.decode()


def test_an_unknown_signal_is_refused_and_the_ticks_are_kept(client, catalogue) -> None:
    response = client.post("/signalen/uitslag/", answers(signals=["G6", "X1"]))
    assert response.status_code == 400
    assert '<input type="hidden" name="signals" value="G6">' in response.content.decode()


def test_the_check_stores_no_answers(client, catalogue) -> None:
    before = (Report.objects.count(), AuditEvent.objects.count(), Session.objects.count())
    client.get("/signalen/")
    client.post("/signalen/vragen/", {"audience": "victim"})
    client.post("/signalen/uitslag/", answers(audience="victim", signals=["G6", "G8"], minor="yes", acute="yes"))
    assert (Report.objects.count(), AuditEvent.objects.count(), Session.objects.count()) == before
    assert set(client.cookies) <= {"csrftoken"}


def test_a_result_becomes_a_report_with_its_forms_and_signals(client, catalogue) -> None:
    prefill = client.post(
        "/melden/",
        {"from_check": "1", "check_forms": ["labour"], "check_signals": ["A4", "A7"], "check_acute": "no"},
    )
    form = prefill.context["form"]
    assert form.initial["suspected_forms"] == ["labour"] and form.initial["signal_codes"] == "A4 A7"
    page = prefill.content.decode()
    assert 'value="labour"' in page and "checked" in page
    assert Report.objects.count() == 0  # filling in is not sending
    response = client.post(
        "/melden/",
        {
            "token": form.initial["token"],
            "signal_codes": "A4 A7",
            "acute_danger": "no",
            "reporter_role": "concerned",
            "description": "Na de signalencheck: mijn buurman moet een schuld afbetalen.",
            "suspected_forms": ["labour"],
            "ongoing": "unknown",
            "contact_preference": "anonymous",
            "consent_share_identity": "no",
            "persons-TOTAL_FORMS": "0",
            "persons-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert sorted(report.signals.values_list("indicator__code", flat=True)) == ["A4", "A7"]
    assert report.form_values == ["labour"]


def test_tampered_signal_codes_are_refused_and_nothing_is_stored(client, catalogue) -> None:
    token = client.get("/melden/").context["form"].initial["token"]
    response = client.post(
        "/melden/",
        {
            "token": token,
            "signal_codes": "A4 <script>",
            "acute_danger": "no",
            "reporter_role": "victim",
            "description": "x",
        },
    )
    assert "signal_codes" in response.context["form"].errors
    assert "De antwoorden uit de signalencheck konden niet worden gelezen" in response.content.decode()
    assert Report.objects.count() == 0


def test_completed_checks_are_counted_per_month_audience_and_form_without_answers(client, catalogue) -> None:
    client.post("/signalen/uitslag/", answers(signals=["A4", "G1"]))  # labour and sexual
    client.post("/signalen/uitslag/", answers(signals=["A4"]))
    client.post("/signalen/uitslag/", answers(audience="professional", signals=[]))
    client.post("/signalen/uitslag/", answers(signals=["X9"]))  # refused: not a completed check
    tallies = {(t.audience, t.form): t.count for t in CheckTally.objects.all()}
    assert tallies == {
        ("concerned", ""): 2,
        ("concerned", "labour"): 2,
        ("concerned", "sexual"): 1,
        ("professional", ""): 1,
    }
    assert {t.month.day for t in CheckTally.objects.all()} == {1}  # a month, not a moment
    assert [f.name for f in CheckTally._meta.fields] == ["id", "month", "audience", "form", "count"]


@pytest.mark.parametrize("path", ["/signalen/vragen/", "/signalen/uitslag/", "/en/signalen/uitslag/"])
def test_a_get_on_a_later_step_starts_again_in_that_language(client, catalogue, path) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ("/en/signalen/" if path.startswith("/en/") else "/signalen/")


def test_switching_language_on_the_questions_keeps_what_was_ticked(client, catalogue) -> None:
    from kenniscentrum.indicators.models import Indicator

    code = Indicator.objects.filter(active=True).values_list("code", flat=True).first()
    response = client.post(
        "/ro/signalen/vragen/",
        {"audience": "concerned", "sector": "", "signals": [code], "minor": "no", "_language": "ro"},
    )
    assert response.status_code == 200
    assert '<html lang="ro"' in response.content.decode()
    assert code in response.context["chosen"]
    assert response.context["form"]["minor"].value() == "no"


def test_the_result_fills_the_report_honestly(client, catalogue) -> None:
    # Two labour signals and a general one (G6 points to every form): the report starts with labour only.
    result = client.post("/signalen/uitslag/", answers(audience="victim", signals=["A1", "A2", "G6"], acute="unknown"))
    page = result.content.decode()
    carried = re.findall(r'name="check_forms" value="(\w+)"', page)
    assert carried == ["labour"]
    assert 'name="check_audience" value="victim"' in page
    prefill = client.post(
        "/melden/",
        {
            "from_check": "1",
            "check_audience": "victim",
            "check_forms": carried,
            "check_signals": ["A1", "A2", "G6"],
            "check_acute": "unknown",
        },
    )
    form = prefill.context["form"]
    assert form.initial["reporter_role"] == "victim"  # who you are comes along
    assert form.initial["acute_danger"] is None  # "don't know" is not turned into "no": the form asks
    assert form.initial["suspected_forms"] == ["labour"]


def test_the_danger_question_of_the_check_starts_unanswered(client, catalogue) -> None:
    page = client.post("/signalen/vragen/", {"audience": "concerned"})
    assert page.context["form"]["acute"].value() == "unknown"


@pytest.mark.parametrize("language", ["", "/pl", "/uk"])
def test_visitors_see_sources_by_publisher_and_no_truncated_item(client, catalogue, language) -> None:
    truncated = list(Indicator.objects.filter(truncated=True).values_list("code", flat=True))
    assert truncated  # the catalogue has some, so this test can fail
    pages = walk(client, "concerned", prefix=language)
    page = "".join(p.content.decode() for p in pages)
    assert "REFERENCE" not in page and "§" not in page and "…" not in page
    assert not set(shown_codes(pages)) & set(truncated)
    assert 'href="https://informatiepuntmensenhandel.nl/info-mensenhandel/wat-zijn-de-signalen"' in page
    assert ">Informatiepunt Mensenhandel</a>" in page
    signals_page = client.get(f"{language}/informatie/signalen/").content.decode()
    assert "REFERENCE" not in signals_page and "§" not in signals_page
    assert not any(f"({code})" in signals_page for code in truncated)
