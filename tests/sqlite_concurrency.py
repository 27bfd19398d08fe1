"""Submits reports with attachments from many threads at once to a file-based SQLite database.

Run by tests/test_security_probe.py in a process of its own (DATABASE_URL names a fresh file), because
the test suite's SQLite database lives in memory. Prints "stored N of M".
"""

import os
import re
import sys
import threading
from io import BytesIO

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenniscentrum.settings")
sys.path.insert(0, os.getcwd())

import django  # noqa: E402

django.setup()


from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

from kenniscentrum.reports.models import Attachment, Report  # noqa: E402

THREADS, EACH = 12, 2


def photo() -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="JPEG")
    return out.getvalue()


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_region", stdout=open(os.devnull, "w"))  # noqa: SIM115
    mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    print("journal mode", mode)
    start = threading.Barrier(THREADS)
    failures: list[str] = []

    def submit() -> None:
        client = Client()
        forms = []
        for _ in range(EACH):
            page = client.get("/melden/").content.decode()
            forms.append(re.search(r'name="token" value="([^"]+)"', page)[1])  # type: ignore[index]
        start.wait(timeout=60)
        for token in forms:
            response = client.post(
                "/melden/",
                {
                    "token": token,
                    "acute_danger": "no",
                    "reporter_role": "concerned",
                    "description": "Tegelijk verstuurd.",
                    "ongoing": "unknown",
                    "contact_preference": "anonymous",
                    "consent_share_identity": "no",
                    "persons-TOTAL_FORMS": "0",
                    "persons-INITIAL_FORMS": "0",
                    "attachments": [SimpleUploadedFile("foto.jpg", photo(), content_type="image/jpeg")],
                },
            )
            # Read from the page: the test client's template context is shared between threads.
            if response.status_code != 200 or 'class="receipt-code"' not in response.content.decode():
                failures.append(str(response.status_code))
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = Report.objects.count()
    print(f"stored {stored} of {THREADS * EACH}, attachments {Attachment.objects.count()}, failures {failures}")
    sys.exit(0 if stored == THREADS * EACH and not failures else 1)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # the test prints whatever went wrong
        print(type(exc).__name__, exc)
        raise
