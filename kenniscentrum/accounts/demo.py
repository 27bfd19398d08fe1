"""Demo accounts: one per role, each with a two-factor key made at random when the demo is loaded.

The password is public (the README prints it), so demo accounts exist only in demo mode: `load_demo`
refuses to run without DEMO_MODE, and the server refuses to start with DEBUG off while any exist
(kenniscentrum/startup.py). They are recognised by the name of their device.
"""

from base64 import b32encode

from django.db import transaction
from django_otp.oath import TOTP

from kenniscentrum.organisations.models import Organisation, OrganisationType

from .models import Authenticator, Role, User, UserRole

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
    ("privacy", "Priya Privacy", Role.PRIVACY_OFFICER, OrganisationType.KNOWLEDGE_CENTRE),
]


DEMO_DEVICE_NAME = "demo"


def demo_accounts_exist() -> bool:
    return Authenticator.objects.filter(name=DEMO_DEVICE_NAME).exists()


def demo_secret(username: str) -> str:
    """The demo account's two-factor key, as an authenticator app takes it."""
    device = Authenticator.objects.get(user__username=username, name=DEMO_DEVICE_NAME)
    return b32encode(device.bin_key).decode().rstrip("=")


def demo_code(username: str) -> str:
    device = Authenticator.objects.get(user__username=username, name=DEMO_DEVICE_NAME)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@transaction.atomic
def demo_users_create() -> list[User]:
    users = []
    for username, full_name, role, org_type in DEMO_USERS:
        organisation = Organisation.objects.filter(type=org_type).order_by("name").first()
        first, last = full_name.split(" ", 1)
        # Addresses under .invalid, a name that never reaches a real mailbox (RFC 2606); make demo-mail shows them.
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "organisation": organisation,
                "email": f"{username}@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        UserRole.objects.get_or_create(user=user, role=role)
        # An Authenticator makes a random key of its own: no two installations share a demo code.
        Authenticator.objects.get_or_create(user=user, name=DEMO_DEVICE_NAME, defaults={"confirmed": True})
        users.append(user)
    return users


@transaction.atomic
def demo_accounts_disable() -> int:
    """Turns demo accounts into locked ones (no password, no device); the rows stay for the audit trail."""
    users = list(User.objects.filter(authenticator__name=DEMO_DEVICE_NAME).distinct())
    for user in users:
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
    Authenticator.objects.filter(name=DEMO_DEVICE_NAME).delete()
    return len(users)
