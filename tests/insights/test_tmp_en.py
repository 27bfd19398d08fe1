import re
import pytest
from io import StringIO
from django.core.management import call_command

pytestmark = pytest.mark.django_db

@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True

def test_dump(demo_mode):
    from django.test import Client
    from kenniscentrum.accounts.models import User
    from kenniscentrum.insights.models import Release
    call_command("load_demo", reports=150, cases=16, stdout=StringIO())
    year = Release.objects.order_by("-year").first().year
    c = Client()
    c.force_login(User.objects.get(username="regie"))
    out = {}
    for url in ["/en/medewerkers/monitor/", f"/en/medewerkers/monitor/?view=published&year={year}",
                f"/en/medewerkers/monitor/rapport/GM0153/{year}/", f"/en/medewerkers/monitor/export/alle.csv?jaar={year}",
                "/en/medewerkers/monitor/publicaties/"]:
        r = c.get(url)
        out[url] = r.content.decode("utf-8-sig")
    import json
    open("/tmp/en_pages.json", "w").write(json.dumps(out))
