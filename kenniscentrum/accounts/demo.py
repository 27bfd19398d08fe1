"""Demo accounts: one per role, with a fixed two-factor key so a newcomer can log in at once."""

import hashlib
from base64 import b32encode

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kenniscentrum.organisations.models import Organisation, OrganisationType

from .models import Role, User, UserRole

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 (demo only; printed by `make demo`)

# username, full name, role, organisation (by type, or a name)
DEMO_USERS = [
    ("intake", "Ilse Intake", Role.INTAKE, OrganisationType.KNOWLEDGE_CENTRE),
    ("regie", "Ruben Regie", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE),
    ("coordinator", "Cora Coördinator", Role.CASE_COORDINATOR, OrganisationType.CARE),
    ("partner", "Pieter Partner", Role.PARTNER, OrganisationType.POLICE),
    ("zorg", "Zara Zorg", Role.PARTNER, OrganisationType.CARE),
    ("analist", "Anna Analist", Role.ANALYST, OrganisationType.MUNICIPALITY),
    ("beheer", "Bram Beheer", Role.FUNCTIONAL_ADMIN, OrganisationType.KNOWLEDGE_CENTRE),
]


def demo_key_hex(username: str) -> str:
    return hashlib.sha256(f"demo-totp:{username}".encode()).hexdigest()[:40]


def demo_secret(username: str) -> str:
    return b32encode(bytes.fromhex(demo_key_hex(username))).decode().rstrip("=")


def demo_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@transaction.atomic
def demo_users_create() -> list[User]:
    users = []
    for username, full_name, role, org_type in DEMO_USERS:
        organisation = Organisation.objects.filter(type=org_type).order_by("name").first()
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "organisation": organisation}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        UserRole.objects.get_or_create(user=user, role=role)
        TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "demo", "key": demo_key_hex(username)}
        )
        users.append(user)
    return users
