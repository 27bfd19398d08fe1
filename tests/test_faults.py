"""Faults the platform meets for real: the database refusing a write (a full disk) and a database that is away. The
bigger faults (kill -9 during submissions, PostgreSQL restarted under load, a full tmpfs) run in `make bench`
(bench/faults.py) and are reported in docs/benchmarks.md."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from PIL import Image

from kenniscentrum.lib.errors import server_error
from kenniscentrum.lib.models import StoredFile
from kenniscentrum.reports.models import Report
from tests.reports.test_public_form import valid

pytestmark = pytest.mark.django_db

TEXT = "Op de boerderij aan de Hengelosestraat slapen twintig mensen in een schuur."


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL raises disk_full from a trigger")
def test_a_full_disk_while_storing_a_report_keeps_the_text_and_stores_nothing(client, region) -> None:
    with connection.cursor() as cursor:
        # What PostgreSQL answers when its disk is full (SQLSTATE 53100), raised for real by the server.
        cursor.execute(
            "CREATE FUNCTION disk_full() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; "
            "END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER storage_full BEFORE INSERT ON lib_storedfile FOR EACH ROW EXECUTE FUNCTION disk_full()"
        )
    out = BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    data = valid(client, description=TEXT, attachments=[SimpleUploadedFile("foto.png", out.getvalue(), "image/png")])
    response = client.post("/melden/", data)
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "niets van bewaard" in page and TEXT in page
    assert not Report.objects.exists() and not StoredFile.objects.exists()


def test_a_database_that_is_away_gets_a_page_that_says_so() -> None:
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    except OperationalError:
        response = server_error(None)  # type: ignore[arg-type]
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "niet bewaard" in page and "112" in page
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(None).status_code == 500  # type: ignore[arg-type]
