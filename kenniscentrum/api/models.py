"""Partner organisations' systems as API clients (issue 16): each acts as an account of its organisation, so every
rule of who sees what applies to it as to a person of that organisation, and holds scoped tokens that are stored only
as their SHA-256."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.models import choice_labels
from kenniscentrum.organisations.models import Organisation


class Scope(models.TextChoices):
    REPORTS_WRITE = "reports:write", _("Submit reports and signals")
    REPORTS_READ = "reports:read", _("Follow the reports the organisation submitted")
    REFERRALS_READ = "referrals:read", _("Read referrals to the organisation")
    REFERRALS_WRITE = "referrals:write", _("Answer referrals to the organisation")
    TASKS_READ = "tasks:read", _("Read tasks for the organisation")
    TASKS_WRITE = "tasks:write", _("Update tasks for the organisation")
    FIGURES_READ = "figures:read", _("Read the region's published figures")


class ApiClient(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("The system that calls, e.g. 'Registratiesysteem Veilig Thuis'."),
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), related_name="api_clients", on_delete=models.PROTECT
    )
    # The account the client acts as: a partner user of its organisation without a password or authenticator.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="api_client", editable=False, on_delete=models.PROTECT
    )
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    def get_scopes_display(self) -> list[str]:
        return choice_labels(Scope.choices, self.scopes)


class ApiToken(models.Model):
    """A token is shown once, when it is issued; stored are its public prefix (to find it) and its SHA-256."""

    client = models.ForeignKey(ApiClient, verbose_name=_("API client"), related_name="tokens", on_delete=models.CASCADE)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.client} ({self.prefix}…)"

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.client.revoked_at is None and self.expires_at > timezone.now()


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key and the report it stored: a namespace of the client's own, which nothing else
    reaches (a form token cannot name it). The body's SHA-256 tells a retry from another report under a used key."""

    client = models.ForeignKey(ApiClient, related_name="idempotency_keys", on_delete=models.CASCADE)
    key = models.CharField(max_length=64)
    body_digest = models.CharField(max_length=64)
    # Goes with its report when retention removes the report.
    report = models.OneToOneField("reports.Report", related_name="idempotency_key", on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_once_per_client")]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key}"
