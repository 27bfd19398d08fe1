"""A person's data on request (AVG art. 15): everything about one person or one reporter, where it came from and to
whom it went; what may be withheld marked for review; for case directors only; audited."""

import pytest

from kenniscentrum.audit.models import AuditEvent
from kenniscentrum.cases.services import note_add, person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.linking.services import identifier_record
from kenniscentrum.organisations.models import Organisation
from tests.conftest import logged_in
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db


def test_everything_about_a_person_with_where_it_went_and_what_to_review(case, director, intake, partner) -> None:
    data = {"first_name": "Oksana", "last_name": "Zeldzaam", "phone": "0612345678"}
    victim = person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=19,
                        person_data=data)  # fmt: skip
    identifier_record(kind="iban", text="NL91ABNA0417164300", actor=director, source="staff", person=victim.person)
    note_add(case=case, actor=director, visibility="internal", body="Gesprek met haar en haar broer.")
    police = Organisation.objects.filter(type="police").first()
    AccessGrantFactory(case=case, organisation=police, granted_by=director, purpose="Onderzoek")
    url = f"/medewerkers/inzageverzoek/persoon/{victim.person.pk}/"
    person_page = logged_in(director).get(f"/medewerkers/personen/{victim.person.pk}/").content.decode()
    assert url in person_page
    page = logged_in(director).get(url).content.decode()
    for expected in ("Oksana", "Zeldzaam", "0612345678", "NL91ABNA0417164300", case.reference, police.name,
                     "Onderzoek", "Gesprek met haar en haar broer.", "AVG art. 15(4)"):  # fmt: skip
        assert expected in page, expected
    assert AuditEvent.objects.filter(action="privacy.access_request", object_id=str(victim.person.pk)).count() == 1
    # Intake workers and partners do not put such an export together; a person that does not exist is 404.
    assert logged_in(intake).get(url).status_code == 403
    assert logged_in(partner).get(url).status_code == 403
    assert url not in logged_in(intake).get(f"/medewerkers/personen/{victim.person.pk}/").content.decode()
    assert logged_in(director).get("/medewerkers/inzageverzoek/persoon/999999/").status_code == 404


def test_everything_about_a_reporter_and_where_the_report_went(case, director) -> None:
    report = case.reports.get()
    url = f"/medewerkers/inzageverzoek/melding/{report.pk}/"
    assert url in logged_in(director).get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    page = logged_in(director).get(url).content.decode()
    for expected in ("Rita Reporter", "0612345678", report.description, case.reference, "Wie het las of wijzigde"):
        assert expected in page, expected
    assert AuditEvent.objects.filter(action="privacy.access_request", object_id=str(report.pk)).exists()


def test_the_answer_is_also_a_pdf_with_the_same_content(case, director) -> None:
    import io

    from pypdf import PdfReader

    report = case.reports.get()
    response = logged_in(director).get(f"/medewerkers/inzageverzoek/melding/{report.pk}/?formaat=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="inzage-melder-{report.reference}.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Rita Reporter" in text and "Inzageverzoek" in text and "Download als pdf" not in text
    assert AuditEvent.objects.filter(action="privacy.access_request", details__pdf=True).exists()


def test_a_persons_details_read_as_words_and_the_pdf_has_no_instruction_to_print(case, director) -> None:
    import datetime
    import io

    from pypdf import PdfReader

    data = {"first_name": "Oksana", "gender": "Feminine", "nationalities": ["PL"], "languages": ["pl", "uk"],
            "birthdate": datetime.date(1999, 3, 5)}  # fmt: skip
    victim = person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=19,
                        person_data=data)  # fmt: skip
    url = f"/medewerkers/inzageverzoek/persoon/{victim.person.pk}/"
    page = logged_in(director).get(url).content.decode()
    details = page.split("<dl", 1)[1].split("</dl>", 1)[0]
    assert "<dd>Vrouw</dd>" in details and "<dd>Polen</dd>" in details and "<dd>Pools, Oekraïens</dd>" in details
    assert "<dd>05-03-1999</dd>" in details and "1999-03-05" not in page and "Feminine" not in page
    response = logged_in(director).get(url + "?formaat=pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Polen" in text and "Vrouw" in text and "Druk deze pagina af" not in text and "1999-03-05" not in text
