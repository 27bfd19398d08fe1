"""Personas and helpers shared by every test.

Personas: an intake worker and a case director of the centre, a partner (police), an analyst of a
municipality, a functional administrator, and an anonymous visitor (the plain `client`).
"""

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from kenniscentrum.accounts.models import Authenticator, Role, User, UserRole
from kenniscentrum.organisations.models import Municipality, Organisation, OrganisationType
from kenniscentrum.organisations.services import region_load
from kenniscentrum.reports.receipts import new_submission_token
from kenniscentrum.reports.services import report_submit

PASSWORD = "a-long-test-password-123"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher() -> Iterator[None]:
    """Argon2 is slow on purpose; the tests hash many passwords and test the real hasher once on its own
    (tests/accounts/test_login.py)."""
    production = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    settings.PASSWORD_HASHERS = production


OWN_TEMPLATES = str(Path(settings.BASE_DIR) / "kenniscentrum" / "templates")


@pytest.fixture(autouse=True, scope="session")
def unknown_variables_fail_in_if() -> Iterator[None]:
    """`--fail-on-template-vars` catches an unknown variable that is printed; inside `{% if %}` Django reads it
    as false without a word, which hid a marker that was never shown. In the project's own templates a condition on
    a name the view did not pass fails the test (the admin's templates rely on absent names and are left alone).
    An included part names the parameters a caller may leave out in a first-line comment, `{# optional: a b #}`."""
    import re

    from django.template.base import Variable
    from django.template.defaulttags import TemplateLiteral

    lenient = TemplateLiteral.eval
    optional_of: dict[str, frozenset[str]] = {}

    def optional(template: object) -> frozenset[str]:
        name = template.origin.name  # type: ignore[attr-defined]
        if name not in optional_of:
            found = re.search(r"\{# optional: ([\w ]+) #\}", template.source)  # type: ignore[attr-defined]
            optional_of[name] = frozenset(found.group(1).split()) if found else frozenset()
        return optional_of[name]

    def strict(self: TemplateLiteral, context: object) -> object:
        var = self.value.var
        template = context.render_context.template  # type: ignore[attr-defined]
        origin = getattr(getattr(template, "origin", None), "name", "") or ""
        if isinstance(var, Variable) and var.lookups and origin.startswith(OWN_TEMPLATES):
            if var.lookups[0] not in context and var.lookups[0] not in optional(template):  # type: ignore[operator]
                # Kept and reported after the test: Django swallows errors inside `and`, `or`, `not` and `==`.
                UNKNOWN_IN_IF.append(f"{{% if %}} on unknown variable {var.var!r} in {origin}")
        return lenient(self, context)

    TemplateLiteral.eval = strict  # type: ignore[method-assign]
    yield
    TemplateLiteral.eval = lenient  # type: ignore[method-assign]


UNKNOWN_IN_IF: list[str] = []


@pytest.fixture(autouse=True)
def no_unknown_variables_in_if() -> Iterator[None]:
    UNKNOWN_IN_IF.clear()
    yield
    found, UNKNOWN_IN_IF[:] = sorted(set(UNKNOWN_IN_IF)), []
    assert not found, found


def region_file_changed(settings: object, tmp_path: Path, change: "Callable[[dict], None]") -> Iterator[None]:
    """The region file with `change` applied to its data, for one test (a generator for a fixture to yield from)."""
    from kenniscentrum.lib.region import region as region_data

    data = json.loads(Path(settings.REGION_FILE).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    change(data)
    path = tmp_path / "region.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.REGION_FILE = path  # type: ignore[attr-defined]
    region_data.cache_clear()
    yield
    region_data.cache_clear()


@pytest.fixture
def region(db: None) -> None:
    """The region's organisations, and the demo's example covenant with all its partners as parties (the rule on
    consent the tests of referrals expect: police, prosecutor and labour inspectorate only for a minor or in acute
    danger)."""
    from kenniscentrum.organisations.demo import demo_covenant_create

    region_load(json.loads(Path(settings.REGION_FILE).read_text(encoding="utf-8")))
    demo_covenant_create()


def make_user(username: str, role: str | None, org_type: str) -> User:
    organisation = Organisation.objects.filter(type=org_type, other_region="").order_by("name").first()
    user = User.objects.create_user(
        username=username, password=PASSWORD, organisation=organisation, email=f"{username}@example.test"
    )
    if role:
        UserRole.objects.create(user=user, role=role)
    Authenticator.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def intake(region: None) -> User:
    return make_user("ilse", Role.INTAKE, OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def director(region: None) -> User:
    return make_user("ruben", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def partner(region: None) -> User:
    return make_user("pieter", Role.PARTNER, OrganisationType.POLICE)


@pytest.fixture
def analyst(region: None) -> User:
    return make_user("anna", Role.ANALYST, OrganisationType.MUNICIPALITY)


@pytest.fixture
def admin_user(region: None) -> User:
    return make_user("bram", Role.FUNCTIONAL_ADMIN, OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def case(region, intake, director) -> object:
    """A case opened from a report by intake, directed by the director."""
    from kenniscentrum.cases.services import case_open_from_report

    report = submit_report(
        reporter_name="Rita Reporter", contact_preference="phone", reporter_phone="0612345678"
    ).report
    case = case_open_from_report(report=report, title="Werkers in een loods", actor=intake)
    case.director = director
    case.save(update_fields=["director"])
    return case


def logged_in(user: User) -> Client:
    """A client with a session that passed both factors, as after the real login."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = Authenticator.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def intake_client(intake: User) -> Client:
    return logged_in(intake)


def submit_report(**overrides: object) -> object:
    """A report as the public form would store it; returns the Submission."""
    data = {
        "reporter_role": "concerned",
        "contact_preference": "anonymous",
        "description": "Mijn buurman werkt zeven dagen per week en woont in de loods.",
        "municipality": Municipality.objects.get(cbs_code="GM0153"),
        "acute_danger": "no",
    }
    data.update(overrides)
    forms = data.pop("forms", ["labour"])
    return report_submit(
        data=data,
        forms=forms,
        persons=[],
        files=[],
        token=new_submission_token(),
        language="nl",  # type: ignore[arg-type]
    )


def pdf_bytes(*, author: str = "", javascript: str = "") -> bytes:
    """A real one-page PDF, made with pypdf: with an author in its metadata, or a script, when asked."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if author:
        writer.add_metadata({"/Author": author, "/Creator": f"{author}'s laptop"})
    if javascript:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript(javascript))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
