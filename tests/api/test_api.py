"""The partner API (issue 16): bearer tokens only, scopes, the pages' need-to-know over the API, problem details on
every error, and one audit event per call."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kenniscentrum.api.models import ApiToken, Scope
from kenniscentrum.api.services import client_revoke
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import AccessGrant, Task
from kenniscentrum.cases.services import grant_add, task_add
from kenniscentrum.lib.vocabulary import Channel, ReferralStatus, TaskStatus
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import CENTRE, referral_create, referral_step
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import report_ask_reporter
from tests.api.conftest import api_client_for
from tests.cases.conftest import organisation
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

REPORT = {
    "description": "Op de camping in Haaksbergen werken twaalf mannen zonder loon; de baas houdt hun paspoorten.",
    "forms": ["labour"],
    "municipality": "GM0153",
    "acute_danger": "no",
    "persons": [{"role": "suspect", "description": "Vasil Petrenko", "age": "40"}],
    "professional": {"name": "Wendy Wijkagent", "phone": "053 123 4567", "email": "w.wijkagent@example.test"},
}


def call(token: str | None, method: str, path: str, body=None, **headers):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = json.dumps(body) if body is not None and not isinstance(body, (bytes, str)) else body
    return getattr(Client(), method.lower())(f"/api/v1/{path}", data=data, content_type="application/json", **extra)


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["instance"].startswith("/api/v1/")
    return body


def test_without_a_usable_token_nothing_is_answered(police_api) -> None:
    client, token = police_api
    assert problem_of(call(None, "GET", "referrals"), 401)
    assert call(None, "GET", "referrals")["WWW-Authenticate"].startswith("Bearer")
    assert problem_of(call(token[:-2] + "xx", "GET", "referrals"), 401)
    assert problem_of(call("kc_" + "0" * 12 + "_x", "GET", "referrals"), 401)
    assert problem_of(call("kc_" + "\x00" * 12 + "_x", "GET", "referrals"), 401)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert (
        problem_of(call(token, "GET", "referrals"), 401)["detail"] == "Het token is onbekend, verlopen of ingetrokken."
    )
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert call(token, "GET", "referrals").status_code == 200
    client_revoke(client=client, actor=client.user)
    assert problem_of(call(token, "GET", "referrals"), 401)


def test_the_token_is_stored_only_as_its_hash(police_api) -> None:
    _client, token = police_api
    with connection.cursor() as cursor:
        cursor.execute("SELECT prefix, digest FROM api_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1 and token not in repr(rows) and token.split("_", 2)[2] not in repr(rows)


def test_no_session_and_no_cookie(police_api) -> None:
    response = call(police_api[1], "GET", "referrals")
    assert response.status_code == 200 and not response.cookies
    assert "Set-Cookie" not in response
    assert response["API-Version"] == "1.0.0"


def test_a_scope_the_client_lacks_is_refused(admin_user) -> None:
    _client, token = api_client_for(OrganisationType.POLICE, admin_user, scopes=[Scope.REFERRALS_READ])
    assert call(token, "GET", "referrals").status_code == 200
    assert "tasks:read" in problem_of(call(token, "GET", "tasks"), 403)["detail"]
    assert problem_of(call(token, "POST", "reports", REPORT), 403)
    assert not Report.objects.exists()


def test_a_report_is_submitted_once_and_followed(police_api, intake) -> None:
    client, token = police_api
    response = call(token, "POST", "reports", REPORT, **{"Idempotency-Key": "VT-2026-881"})
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert response["Location"] == f"/api/v1/reports/{reference}"
    again = call(token, "POST", "reports", REPORT, **{"Idempotency-Key": "VT-2026-881"})
    assert again.status_code == 200 and again.json()["reference"] == reference
    report = Report.objects.get()
    assert report.channel == Channel.PARTNER and report.partner_organisation == client.organisation
    assert report.reporter_role == "professional" and report.reporter_email == "w.wijkagent@example.test"
    assert [p.description for p in report.persons.all()] == ["Vasil Petrenko"]
    assert report.created_by == client.user

    followed = call(token, "GET", f"reports/{reference}").json()
    assert followed["status"] == "new" and followed["messages"] == []
    report_ask_reporter(report=report, question="Hoeveel mannen precies?", actor=intake)
    followed = call(token, "GET", f"reports/{reference}", **{"Accept-Language": "en"}).json()
    assert followed["status"] == "awaiting_reporter" and followed["status_text"].startswith("We have asked you")
    assert [m["text"] for m in followed["messages"]] == ["Hoeveel mannen precies?"]
    listed = call(token, "GET", "reports").json()
    assert listed["count"] == 1 and listed["results"][0]["reference"] == reference


def test_a_reference_that_cannot_be_one_is_not_looked_up(police_api) -> None:
    assert problem_of(call(police_api[1], "GET", "reports/M-2026-%0000001"), 404)
    assert problem_of(call(police_api[1], "GET", "reports/x"), 404)


def test_another_organisation_cannot_follow_the_report(police_api, care_api) -> None:
    reference = call(police_api[1], "POST", "reports", REPORT).json()["reference"]
    assert problem_of(call(care_api[1], "GET", f"reports/{reference}"), 404)
    assert call(care_api[1], "GET", "reports").json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "description"),
        ({"description": ""}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"description": "ok", "forms": "labour"}, "forms"),
        ({"description": "ok", "forms": ["slavery"]}, "forms.0"),
        ({"description": "ok", "municipality": "GM9999"}, "municipality"),
        ({"description": "ok", "municipality": 153}, "municipality"),
        ({"description": "ok", "municipality": "GM\x000153"}, "municipality"),
        ({"description": "ok", "persons": [{"description": ""}]}, "persons.0.description"),
        ({"description": "ok", "professional": {"name": "A", "email": "geen-adres"}}, "professional.email"),
        ({"description": "ok", "acute_danger": True}, "acute_danger"),
        ({"description": "a\x00b"}, "description"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(police_api, body, field) -> None:
    found = problem_of(call(police_api[1], "POST", "reports", body), 400)
    assert field in [p["name"] for p in found["invalidParams"]], found
    assert found["detail"] == "Het verzoek heeft velden die ontbreken of niet kloppen."
    assert not Report.objects.exists()


def test_broken_json_wrong_encoding_and_a_wrong_media_type_are_refused(police_api) -> None:
    token = police_api[1]
    assert problem_of(call(token, "POST", "reports", "{kapot"), 400)
    assert problem_of(call(token, "POST", "reports", b'{"description": "\xff\xfe"}'), 400)
    response = Client().post("/api/v1/reports", data="description=x", content_type="application/x-www-form-urlencoded",
                             HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert problem_of(response, 415)
    assert problem_of(call(token, "POST", "reports", REPORT, **{"Idempotency-Key": "x" * 65}), 400)
    assert not Report.objects.exists()


def test_injection_is_stored_as_text(police_api, intake) -> None:
    text = "'); DROP TABLE reports_report; -- <script>alert(1)</script>"
    reference = call(police_api[1], "POST", "reports", {"description": text}).json()["reference"]
    assert Report.objects.get(reference=reference).description == text
    page = logged_in(intake).get(f"/medewerkers/meldingen/{Report.objects.get().pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page


def test_referrals_follow_the_pages_need_to_know_and_are_answered(case, director, police_api, care_api) -> None:
    police = organisation(OrganisationType.POLICE)
    referral = referral_create(case=case, actor=director, person=None, organisation=police, purpose="Onderzoek",
                               legal_basis="public_task", consent=Consent.GIVEN)  # fmt: skip
    token = police_api[1]
    assert call(token, "GET", "referrals").json()["count"] == 0  # proposed: not sent yet
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    listed = call(token, "GET", "referrals").json()
    assert listed["count"] == 1
    shown = listed["results"][0]
    assert shown["case"] == case.reference and shown["steps"] == ["accept", "decline"]
    assert shown["covenant"].startswith("Voorbeeldconvenant")
    assert problem_of(call(care_api[1], "GET", f"referrals/{referral.pk}"), 404)
    assert problem_of(call(care_api[1], "POST", f"referrals/{referral.pk}/steps", {"step": "accept"}), 404)

    refused = problem_of(call(token, "POST", f"referrals/{referral.pk}/steps", {"step": "decline"}), 400)
    assert refused["invalidParams"][0]["reason"]
    assert problem_of(call(token, "POST", f"referrals/{referral.pk}/steps", {"step": "complete"}), 400)
    accepted = call(token, "POST", f"referrals/{referral.pk}/steps", {"step": "accept"})
    assert accepted.status_code == 200 and accepted.json()["status"] == ReferralStatus.ACCEPTED
    assert AccessGrant.objects.active().filter(case=case, organisation=police).exists()


def test_tasks_for_the_organisation_are_read_and_updated(case, director, police_api, care_api) -> None:
    police = organisation(OrganisationType.POLICE)
    grant_add(case=case, actor=director, organisation=police, purpose="Onderzoek", legal_basis="public_task",
              valid_until=timezone.localdate() + timedelta(days=30))  # fmt: skip
    task = task_add(case=case, actor=director, title="Informatie aanleveren", owner_user=None,
                    owner_organisation=police, due_date=None)  # fmt: skip
    task_add(case=case, actor=director, title="Intern", owner_user=director, owner_organisation=None, due_date=None)
    token = police_api[1]
    listed = call(token, "GET", "tasks").json()
    assert [t["title"] for t in listed["results"]] == ["Informatie aanleveren"]
    assert problem_of(call(care_api[1], "PATCH", f"tasks/{task.pk}", {"status": "done"}), 404)
    assert problem_of(call(token, "PATCH", f"tasks/{task.pk}", {"status": "klaar"}), 400)
    done = call(token, "PATCH", f"tasks/{task.pk}", {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == TaskStatus.DONE
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    AccessGrant.objects.update(revoked_at=timezone.now())
    assert problem_of(call(token, "GET", f"tasks/{task.pk}"), 404)


def test_figures_are_the_published_ones_only(police_api) -> None:
    from datetime import datetime

    from kenniscentrum.insights import publication
    from kenniscentrum.insights.figures import figures_refresh
    from kenniscentrum.reports.models import Report
    from tests.conftest import submit_report

    for _ in range(3):
        submit_report()
    last_year = timezone.localdate().year - 1
    Report.objects.update(received_at=timezone.make_aware(datetime(last_year, 3, 1)))
    figures_refresh()
    assert problem_of(call(police_api[1], "GET", "figures"), 404)  # nothing published yet
    made = publication.make_release(last_year, police_api[0].user)
    tables = call(police_api[1], "GET", f"figures?year={last_year}").json()
    assert tables == call(police_api[1], "GET", "figures").json()  # the latest release by default
    channel = next(t for t in tables if t["code"] == "reports.channel")
    values = {row["label"]: row["value"] for row in channel["rows"]}
    assert "3" not in values.values() and channel["total"] in ("< 5", ".")
    assert channel["year"] == last_year and channel["release_digest"] == made.digest
    assert all("count" not in row for t in tables for row in t["rows"])
    # A period of months is not offered: two overlapping periods would differ by one nobody asked for.
    months = problem_of(call(police_api[1], "GET", f"figures?start={last_year}-01&end={last_year}-06"), 400)
    assert months["invalidParams"][0]["name"] == "start"
    # A parameter the API does not take is refused, not ignored (the latest release is not the year asked for).
    for other in (f"jaar={last_year - 1}", "van=2024-01", f"year={last_year}&tot=2"):
        assert problem_of(call(police_api[1], "GET", f"figures?{other}"), 400), other
    bad = problem_of(call(police_api[1], "GET", "figures?year=twintig"), 400)
    assert bad["invalidParams"][0]["name"] == "year"
    assert problem_of(call(police_api[1], "GET", f"figures?year={last_year - 1}"), 404)
    assert problem_of(call(police_api[1], "GET", "figures/bestaat.niet"), 404)
    assert call(police_api[1], "GET", f"figures/victims.groups?year={last_year}").json()["code"] == "victims.groups"
    # Per municipality: the year and the five years together, for every municipality and outside the region.
    places = call(police_api[1], "GET", f"figures/municipalities?year={last_year}").json()
    assert len(places["rows"]) == 15 and all(len(row["values"]) == 6 for row in places["rows"])


def test_every_call_is_audited(police_api) -> None:
    client, token = police_api
    call(token, "GET", "referrals")
    call(None, "GET", "tasks")
    events = AuditEvent.objects.filter(action=Action.API_CALL).order_by("id")
    assert [(e.details["path"], e.details["status"], e.details["client"]) for e in events] == [
        ("/api/v1/referrals", 200, client.pk),
        ("/api/v1/tasks", 401, None),
    ]
    assert events[0].actor == client.user


def test_unknown_addresses_and_methods_answer_as_problems(police_api) -> None:
    assert problem_of(call(police_api[1], "GET", "bestaat-niet"), 404)
    assert problem_of(call(police_api[1], "GET", "referrals/"), 404)  # no trailing slashes
    deleted = problem_of(call(police_api[1], "DELETE", "figures"), 405)
    assert deleted and call(police_api[1], "DELETE", "figures")["Allow"] == "GET, HEAD"
    assert problem_of(call(police_api[1], "OPTIONS", "referrals"), 405)


def test_the_schema_and_its_documentation_page(client) -> None:
    schema = client.get("/api/v1/schema").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/reports" in schema["paths"]
    post = schema["paths"]["/api/v1/reports"]["post"]
    assert "application/problem+json" in post["responses"]["400"]["content"]
    assert schema["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert client.get("/api/v1/openapi.json").json() == schema
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page  # every asset from here


def test_functional_admins_make_clients_issue_and_revoke_tokens(admin_user, director) -> None:
    police = organisation(OrganisationType.POLICE)
    data = {"name": "Politiesysteem", "organisation": police.pk, "scopes": ["referrals:read", "tasks:read"]}
    assert logged_in(director).post("/beheer/api/apiclient/add/", data).status_code == 403
    admin = logged_in(admin_user)
    assert admin.post("/beheer/api/apiclient/add/", data).status_code == 302
    from kenniscentrum.api.models import ApiClient

    api = ApiClient.objects.get(name="Politiesysteem")
    assert api.user.organisation == police and api.user.has_role("partner") and not api.user.has_usable_password()
    page = admin.post("/beheer/api/apiclient/", {"action": "issue_tokens", "_selected_action": [api.pk]})
    token = page.content.decode().split("<code>")[1].split("</code>")[0]
    assert call(token, "GET", "referrals").status_code == 200
    assert problem_of(call(token, "GET", "figures"), 403)
    record = ApiToken.objects.get()
    admin.post("/beheer/api/apitoken/", {"action": "revoke_tokens", "_selected_action": [record.pk]})
    assert problem_of(call(token, "GET", "referrals"), 401)
    events = AuditEvent.objects.filter(action=Action.API_CLIENT_CHANGED, object_id=str(api.pk))
    assert {e.details["operation"] for e in events} == {"add", "token_issued", "token_revoked"}
    assert all(token.split("_", 2)[2] not in json.dumps(e.details) for e in events)


def test_a_partners_system_is_not_offered_as_a_person_to_give_a_task_to(case, director, police_api) -> None:
    from kenniscentrum.cases.forms import task_holders

    police = organisation(OrganisationType.POLICE)
    grant_add(case=case, actor=director, organisation=police, purpose="Onderzoek", legal_basis="public_task",
              valid_until=timezone.localdate() + timedelta(days=30))  # fmt: skip
    people, organisations = task_holders(case)
    assert police in organisations and police_api[0].user not in people


def test_a_staff_session_is_not_an_api_login(intake) -> None:
    staff = logged_in(intake)
    assert problem_of(staff.get("/api/v1/referrals"), 401)
    event = AuditEvent.objects.filter(action=Action.API_CALL).latest("id")
    assert event.actor is None and event.details["status"] == 401
