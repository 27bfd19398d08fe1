"""Probe 3, finding 15: a covenant's signed document is a PDF, checked and rewritten like every other, and every
download of it is audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.organisations.demo import DEMO_COVENANT
from kenniscentrum.organisations.models import Covenant
from tests.cases.conftest import organisation
from tests.conftest import logged_in, pdf_bytes

pytestmark = pytest.mark.django_db


def covenant_form(document: SimpleUploadedFile) -> dict[str, object]:
    police = organisation("police")
    return {
        "name": "Convenant Zorg- en Veiligheidshuis", "scope": "Casussen", "purposes": "Samenwerking",
        "legal_bases": ["public_task"], "starts_on": "2025-01-01", "ends_on": "", "parties": [police.pk],
        "special_data_basis": "", "criminal_data_basis": "UAVG art. 33", "document": document,
        "rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0", "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "1000",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("convenant.html", b"<html><script>fetch('/beheer/')</script></html>"),
        ("convenant.pdf", b"<html><script>fetch('/beheer/')</script></html>"),  # named as a PDF, is not one
        ("convenant.pdf", pdf_bytes(javascript="app.alert('hallo');")),
        ("handtekening.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ],
    ids=["html-with-script", "html-named-pdf", "pdf-with-javascript", "not-a-pdf"],
)
def test_a_covenant_document_that_is_not_a_clean_pdf_is_refused_and_the_form_kept(admin_user, name, content) -> None:
    response = logged_in(admin_user).post(
        "/beheer/organisations/covenant/add/", covenant_form(SimpleUploadedFile(name, content, "text/html"))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{name} is geen pdf die we kunnen aannemen" in page
    assert "Convenant Zorg- en Veiligheidshuis" in page  # what was typed stays
    assert not Covenant.objects.filter(name="Convenant Zorg- en Veiligheidshuis").exists()


def test_a_covenant_document_is_stored_as_a_rewritten_pdf(admin_user) -> None:
    signed = pdf_bytes(author="Jan Jansen")
    response = logged_in(admin_user).post(
        "/beheer/organisations/covenant/add/",
        covenant_form(SimpleUploadedFile("ondertekend.pdf", signed, "application/pdf")),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    covenant = Covenant.objects.get(name="Convenant Zorg- en Veiligheidshuis")
    assert covenant.document.name.endswith(".pdf")
    with covenant.document.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-") and b"Jan Jansen" not in content


def test_every_download_of_a_covenant_document_is_audited(admin_user) -> None:
    from django.core.files.base import ContentFile

    covenant = Covenant.objects.get(name=DEMO_COVENANT)
    covenant.document.save("convenant.pdf", ContentFile(pdf_bytes()), save=True)
    client = logged_in(admin_user)
    for _ in range(2):
        response = client.get(f"/beheer/organisations/covenant/{covenant.pk}/document/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    events = AuditEvent.objects.filter(action=Action.COVENANT_DOCUMENT_DOWNLOADED)
    assert events.count() == 2
    assert {(e.actor, e.object_type, e.object_id) for e in events} == {
        (admin_user, "organisations.covenant", str(covenant.pk))
    }
