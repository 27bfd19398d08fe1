"""Probe 3, finding 18 (part): no one gives themself a role. A functional administrator who adds a role to their own
account, or turns one of their roles into another, is refused with a clear message and what they typed kept; another
functional administrator can grant it. Any role counts: each one opens data (a case director every case)."""

import pytest

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db
REFUSED = "Je kunt jezelf geen rol geven"


def roles_post(user: User, roles: list[tuple[int | None, str]], first_name: str = "") -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": first_name,
        "last_name": "",
        "email": user.email,
        "organisation": user.organisation_id,
        "is_active": "on",
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": str(sum(1 for pk, _ in roles if pk)),
    }
    for n, (pk, role) in enumerate(roles):
        data.update({f"roles-{n}-id": pk or "", f"roles-{n}-user": user.pk, f"roles-{n}-role": role})
    return data


def test_a_functional_administrator_cannot_give_themself_the_case_director_role(admin_user) -> None:
    own = admin_user.roles.get()
    data = roles_post(admin_user, [(own.pk, Role.FUNCTIONAL_ADMIN), (None, Role.CASE_DIRECTOR)], first_name="Bram")
    response = logged_in(admin_user).post(f"/beheer/accounts/user/{admin_user.pk}/change/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page and 'value="Bram"' in page
    assert set(User.objects.get(pk=admin_user.pk).roles.values_list("role", flat=True)) == {Role.FUNCTIONAL_ADMIN}
    refused = AuditEvent.objects.filter(action=Action.ACCESS_DENIED, actor=admin_user, details__refused="own_role")
    assert refused.get().details["roles"] == [Role.CASE_DIRECTOR]


def test_nor_turn_a_role_of_their_own_into_another(admin_user) -> None:
    own = admin_user.roles.get()
    data = roles_post(admin_user, [(own.pk, Role.PRIVACY_OFFICER)])
    response = logged_in(admin_user).post(f"/beheer/accounts/user/{admin_user.pk}/change/", data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert list(User.objects.get(pk=admin_user.pk).roles.values_list("role", flat=True)) == [Role.FUNCTIONAL_ADMIN]


def test_their_own_other_details_and_dropping_a_role_are_fine(admin_user) -> None:
    own = admin_user.roles.get()
    extra = admin_user.roles.create(role=Role.ANALYST)
    data = roles_post(admin_user, [(own.pk, Role.FUNCTIONAL_ADMIN), (extra.pk, Role.ANALYST)], first_name="Bram")
    data["roles-1-DELETE"] = "on"
    response = logged_in(admin_user).post(f"/beheer/accounts/user/{admin_user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(pk=admin_user.pk)
    assert user.first_name == "Bram" and list(user.roles.values_list("role", flat=True)) == [Role.FUNCTIONAL_ADMIN]


def test_a_second_functional_administrator_grants_it(admin_user) -> None:
    second = make_user("greet", Role.FUNCTIONAL_ADMIN, OrganisationType.KNOWLEDGE_CENTRE)
    own = admin_user.roles.get()
    data = roles_post(admin_user, [(own.pk, Role.FUNCTIONAL_ADMIN), (None, Role.CASE_DIRECTOR)])
    response = logged_in(second).post(f"/beheer/accounts/user/{admin_user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=admin_user.pk).has_role(Role.CASE_DIRECTOR)
    event = AuditEvent.objects.get(action=Action.ADMIN_CHANGE, object_id=str(admin_user.pk),
                                   details__operation="inline")  # fmt: skip
    assert event.actor == second and event.details["added"][0]["role"] == Role.CASE_DIRECTOR
