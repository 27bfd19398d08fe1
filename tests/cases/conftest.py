"""Personas around one case: a coordinator, partners with an active, without and with an expired grant."""

import pytest

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.organisations.models import Organisation, OrganisationType
from tests.conftest import make_user
from tests.factories import AccessGrantFactory


@pytest.fixture
def coordinator(region) -> User:
    return make_user("carla", Role.CASE_COORDINATOR, OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def granted(case, director) -> User:
    """A police user whose organisation has an active grant on the case."""
    user = make_user("gert", Role.PARTNER, OrganisationType.POLICE)
    AccessGrantFactory(case=case, organisation=user.organisation, purpose="Onderzoek", granted_by=director)
    return user


@pytest.fixture
def ungranted(region) -> User:
    """A partner of a care organisation without any grant."""
    return make_user("ursula", Role.PARTNER, OrganisationType.CARE)


@pytest.fixture
def expired(case, director) -> User:
    """A partner of the labour inspectorate whose grant ended yesterday."""
    user = make_user("edwin", Role.PARTNER, OrganisationType.LABOUR_INSPECTORATE)
    AccessGrantFactory(
        case=case, organisation=user.organisation, purpose="Inspectie", granted_by=director, expired=True
    )
    return user


@pytest.fixture
def victim(case, director):
    """A possible victim in the case: the involvement."""
    from kenniscentrum.cases.services import person_add
    from kenniscentrum.lib.vocabulary import InvolvementRole

    return person_add(
        case=case, actor=director, person=None, person_data={"first_name": "Iryna", "last_name": "P."},
        role=InvolvementRole.VICTIM, age_at_start=22,
    )  # fmt: skip


def organisation(type_: str) -> Organisation:
    return Organisation.objects.filter(type=type_).order_by("name").first()  # type: ignore[return-value]


@pytest.fixture(autouse=True)
def english():
    """Rules are asserted on their English messages; pages are asked for in Dutch, as staff use them."""
    from django.utils import translation

    with translation.override("en"):
        yield
