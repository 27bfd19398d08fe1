import pytest

from kenniscentrum.api.models import Scope
from kenniscentrum.api.services import client_create, token_issue
from kenniscentrum.organisations.models import Organisation, OrganisationType


def api_client_for(org_type: str, admin, scopes=None, name: str | None = None):
    organisation = Organisation.objects.filter(type=org_type, other_region="").order_by("name").first()
    client = client_create(name=name or f"Systeem {org_type}", organisation=organisation,
                           scopes=scopes if scopes is not None else list(Scope.values), actor=admin)  # fmt: skip
    token, _record = token_issue(client=client, actor=admin)
    return client, token


@pytest.fixture
def police_api(admin_user):
    return api_client_for(OrganisationType.POLICE, admin_user)


@pytest.fixture
def care_api(admin_user):
    return api_client_for(OrganisationType.CARE, admin_user)
