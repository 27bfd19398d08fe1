"""Every URL pattern needs a two-factor login unless it is on the explicit public list."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from tests.conftest import logged_in, submit_report

# The whole public surface of the platform. Adding a public page means adding it here.
PUBLIC = {
    "knowledge:home",
    "reports:create",
    "reports:question",
    "reports:followup_start",
    "reports:followup_thread",
    "reports:followup_end",
    "reports:quick_exit",
    "indicators:check",
    "indicators:check_questions",
    "indicators:check_result",
    "knowledge:index",
    "knowledge:page",
    "accounts:login",
    "accounts:verify",
    "accounts:enrol",
    "accounts:enrol_qr",
    "accounts:logout",
}
# What every logged-in staff member may use, whatever their role: keeping their own session going.
EVERY_STAFF_MEMBER = {"accounts:session_extend"}
# A user's own settings, which every logged-in user opens: which notifications they get.
OWN_SETTINGS = {"notifications:preferences"}
# Staff pages a functional administrator may open: who has seen a report (not what it says).
FOR_FUNCTIONAL_ADMINS_TOO = {"reports:readers"}
# The monitor, which analysts open (aggregates only; tests/insights has its matrix).
MONITOR = {"insights:dashboard", "insights:releases"}


def all_patterns_in_dutch() -> list[tuple[str, str, object]]:
    # The language prefix of a pattern is that of the active language, which an earlier request may have set.
    with translation.override(settings.LANGUAGE_CODE):
        return all_patterns()


def all_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str, object]]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += all_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.callback))
    return found


def concrete_path(pattern: str, report_pk: int) -> str:
    """A real path for a pattern: the i18n prefix dropped, converters filled with real values."""
    path = pattern.replace("^", "").replace("$", "").replace("\\/", "/")
    path = re.sub(r"<int:\w+>", str(report_pk), path)
    path = re.sub(r"<slug:\w+>|<path:\w+>|<str:\w+>|\(\?P<\w+>[^)]*\)", "x", path)
    path = path.replace("\\Z", "").replace("\\", "")
    return "/" + path.lstrip("/")


def is_api(name: str) -> bool:
    """The partner API has its own authentication, a bearer token (tests/api)."""
    return name.startswith("api:")


def test_public_list_matches_the_views_marked_public() -> None:
    marked = {name for name, _, view in all_patterns() if getattr(view, "login_required", True) is False}
    assert {name for name in marked if not is_api(name)} == PUBLIC


@pytest.mark.django_db
def test_every_other_url_redirects_an_anonymous_visitor_to_login(client, region) -> None:
    report = submit_report().report
    checked = 0
    for name, pattern, _view in all_patterns_in_dutch():
        if name in PUBLIC or is_api(name):
            continue
        response = client.get(concrete_path(pattern, report.pk))
        assert response.status_code == 302, name
        assert "/medewerkers/inloggen/" in response["Location"], name
        checked += 1
    assert checked >= 5


@pytest.mark.django_db
def test_a_password_only_session_is_not_a_staff_session(client, intake) -> None:
    client.force_login(intake)  # no second factor recorded in the session
    response = client.get("/medewerkers/meldingen/")
    assert response.status_code == 302
    assert "/medewerkers/inloggen/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partner", "analyst", "admin_user"])
def test_every_staff_view_denies_a_user_without_a_report_role(persona, request, region) -> None:
    """Partners reach only their own lists of work, cases, tasks, referrals and meetings; analysts the monitor; admins
    nothing."""
    user = request.getfixturevalue(persona)
    client = logged_in(user)
    report = submit_report().report
    partner_lists = {"notifications:work", "cases:list", "cases:my_tasks", "referrals:list", "meetings:list"}
    for name, pattern, _view in all_patterns_in_dutch():
        if name in PUBLIC or name.startswith("functional_admin:") or is_api(name):
            continue
        if persona == "admin_user" and name in FOR_FUNCTIONAL_ADMINS_TOO:
            assert client.get(concrete_path(pattern, report.pk)).status_code == 200, name
            continue
        if name in EVERY_STAFF_MEMBER:
            assert client.post(concrete_path(pattern, report.pk)).status_code == 204, name
            continue
        if name in OWN_SETTINGS:
            assert client.get(concrete_path(pattern, report.pk)).status_code == 200, name
            continue
        if persona == "analyst" and name in MONITOR:
            assert client.get(concrete_path(pattern, report.pk)).status_code == 200, name
            continue
        if persona == "partner" and name in partner_lists:
            assert client.get(concrete_path(pattern, report.pk)).status_code == 200, name
            continue
        path = concrete_path(pattern, report.pk)
        response = client.get(path)
        if response.status_code == 405:  # a POST-only view: try what it accepts
            response = client.post(path)
        assert response.status_code in (403, 404), (name, path, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partner", "analyst", "intake"])
def test_the_administration_denies_everyone_but_functional_admins(persona, request) -> None:
    client = logged_in(request.getfixturevalue(persona))
    assert client.get("/beheer/").status_code == 403
    assert client.get("/beheer/audit/auditevent/").status_code == 403


@pytest.mark.django_db
def test_the_administration_opens_for_a_functional_admin(admin_user) -> None:
    client = logged_in(admin_user)
    assert client.get("/beheer/").status_code == 200
    assert client.get("/beheer/accounts/user/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/bestaat-niet/", "/medewerkers/casussen/999999/", "/informatie/bestaat-niet/"])
def test_the_demo_shows_its_own_not_found_page_not_a_map_of_every_address(intake, settings, path) -> None:
    settings.DEBUG = True  # as in `make demo`
    response = logged_in(intake).get(path)
    page = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in page and "medewerkers/casussen/" not in page.split('<main id="main"')[1]
    assert "Pagina niet gevonden" in page


@pytest.mark.django_db
def test_every_api_operation_needs_a_token(client) -> None:
    """Apart from the schema and its documentation page, every address under /api/ answers 401 without a token."""
    open_to_all = {"api:openapi", "api:schema", "api:docs"}
    for name, pattern, _view in all_patterns():
        if not is_api(name) or name in open_to_all or name == "api:not_found":
            continue
        response = client.get(concrete_path(pattern, 1))
        assert response.status_code in (401, 405), (name, response.status_code)
        assert response["Content-Type"] == "application/problem+json", name
