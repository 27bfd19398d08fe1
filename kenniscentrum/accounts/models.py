from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kenniscentrum.organisations.models import Organisation


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake (reporting point)")
    CASE_DIRECTOR = "case_director", _("Case director")
    CASE_COORDINATOR = "case_coordinator", _("Case coordinator")
    PARTNER = "partner", _("Partner organisation user")
    ANALYST = "analyst", _("Analyst")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")


# Roles that may read reports and their reporters' contact details (need-to-know, ARCHITECTURE.md).
REPORT_ROLES = frozenset({Role.INTAKE, Role.CASE_DIRECTOR})


class User(AbstractUser):
    """A staff or partner user: a member of one organisation, with one or more roles."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def in_centre(self) -> bool:
        return self.organisation is not None and self.organisation.is_centre

    @property
    def may_handle_reports(self) -> bool:
        """Reports are read by the centre's intake workers and case directors only."""
        return self.in_centre and self.has_role(*REPORT_ROLES)

    @property
    def manages_cases(self) -> bool:
        """The centre's intake workers and case directors see and steer every case."""
        return self.in_centre and self.has_role(*REPORT_ROLES)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.get_username()


class UserRole(models.Model):
    user = models.ForeignKey(User, related_name="roles", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return self.get_role_display()
