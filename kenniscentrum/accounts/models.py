from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key, key_validator

from kenniscentrum.lib.encryption import EncryptedTextField
from kenniscentrum.organisations.models import Organisation


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake (reporting point)")
    CASE_DIRECTOR = "case_director", _("Case director")
    CASE_COORDINATOR = "case_coordinator", _("Case coordinator")
    PARTNER = "partner", _("Partner organisation user")
    ANALYST = "analyst", _("Analyst")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    # The centre's privacy officer (FG): answers a person's request for their data (AVG art. 15), a reporter's
    # identity included; reads no queue and steers no case.
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


# Roles that may read reports and their reporters' contact details (need-to-know, ARCHITECTURE.md).
REPORT_ROLES = frozenset({Role.INTAKE, Role.CASE_DIRECTOR})


class User(AbstractUser):  # type: ignore[django-manager-missing]  # Authenticator: django-otp is untyped
    """A staff or partner user: a member of one organisation, with one or more roles."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Who knows this account's password besides its user: the functional administrator who last set it (None when
    # it was set on the server). That administrator may not also issue its enrolment code (services.enrolment_*).
    password_set_by = models.ForeignKey(
        "self", verbose_name=_("password set by"), null=True, blank=True, editable=False, related_name="+",
        on_delete=models.SET_NULL,
    )  # fmt: skip

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django ends a session whose stored hash no longer matches this one (as after a password change). The moment
        the organisation was last made inactive is part of it, so the sessions open then end for good instead of
        coming back when the organisation is made active again (probe 3, finding 8)."""
        ended = self.organisation.deactivated_at if self.organisation is not None else None
        # Django's own salt and value while the organisation was never made inactive: sessions open at an upgrade stay.
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = f"{self.password}|{ended.isoformat()}" if ended else self.password
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def may_act(self) -> bool:
        """An account acts only while it and its organisation are active: making an organisation inactive ends its
        users' logins, their sessions at the next request and its API tokens at once (probe finding 8). The one
        rule of `backends.AccountBackend` (pages) and `api.services.token_for` (API)."""
        return self.is_active and (self.organisation is None or self.organisation.active)

    @property
    def in_centre(self) -> bool:
        return self.organisation is not None and self.organisation.is_centre

    @property
    def handles_reports_and_cases(self) -> bool:
        """The one role rule of the centre's desk: its intake workers and case directors read every report and
        see and steer every case (decorators, querysets, context processors and templates all ask this)."""
        return self.in_centre and self.has_role(*REPORT_ROLES)

    @property
    def answers_data_requests(self) -> bool:
        """Who puts a person's data together on request (AVG art. 15): the centre's privacy officer, and its case
        directors, who may read every case and report (what of a reporter they see: reports.access)."""
        return self.in_centre and self.has_role(Role.PRIVACY_OFFICER, Role.CASE_DIRECTOR)

    @property
    def sees_monitor(self) -> bool:
        """The monitor's figures (insights): analysts (the centre's, or a municipality's policy analyst), and the
        centre's intake workers and case directors (its management works as either). Aggregates only; no record is
        reached through it."""
        return self.has_role("analyst") or self.handles_reports_and_cases

    @property
    def sees_exact_figures(self) -> bool:
        """Exact counts, small ones included, are for inside the centre; everyone else sees figures as published."""
        return self.sees_monitor and self.in_centre

    @property
    def audit_reference(self) -> str:
        """Staff accounts are named in the audit log by their login name."""
        return self.get_username()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.get_username()

    def __str__(self) -> str:
        # People are shown by their name wherever a user appears (lists, pickers), not by their login name.
        return self.display_name


class UserRole(models.Model):
    user = models.ForeignKey(User, related_name="roles", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class EnrolmentCode(models.Model):
    """A one-time code a functional administrator hands over outside the platform, so that the first
    authenticator of an account needs more than its password. Only a keyed hash is stored."""

    user = models.ForeignKey(User, related_name="enrolment_codes", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, related_name="+", null=True, on_delete=models.SET_NULL)
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("issued_at")), name="enrolment_code_expires_after_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.issued_at:%Y-%m-%d %H:%M}"


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """A staff member's TOTP authenticator: django-otp's TOTPDevice, with its key encrypted at rest under DATA_KEYS
    (lib/encryption.py), since whoever reads the key can make the account's codes (finding 17). django-otp's device
    keeps its key in a column too short for a Fernet token, so this model takes its place; the verification itself
    is django-otp's, unchanged."""

    key = EncryptedTextField(validators=[key_validator], default=default_key)
    # Annotated: django-otp's base classes are untyped, so the type checker cannot infer them.
    step: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(default=30)
    t0: "models.BigIntegerField[int, int]" = models.BigIntegerField(default=0)
    digits: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6
    )
    tolerance: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(default=1)
    drift: "models.SmallIntegerField[int, int]" = models.SmallIntegerField(default=0)
    last_t: "models.BigIntegerField[int, int]" = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    # django-otp's own TOTP code, unchanged (none of it depends on the class): only where the key is kept differs.
    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings
