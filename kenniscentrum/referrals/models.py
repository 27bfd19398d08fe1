"""Referrals: the centre asks another organisation to take on part of a case, on a recorded legal basis."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.models import AccessGrant, Case, Person
from kenniscentrum.lib.models import ChoiceLabelsModel
from kenniscentrum.lib.vocabulary import LegalBasis, ReferralStatus
from kenniscentrum.organisations.models import Covenant, Organisation, covenant_holds

from .workflow import RUNNING, WORKED_ON

if TYPE_CHECKING:
    from kenniscentrum.accounts.models import User


class Consent(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    NOT_ASKED = "not_asked", _("Not asked")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: "User") -> "ReferralQuerySet":
        """Referrals to the user's organisation (once sent), those of cases they coordinate, and all referrals
        for the centre that steers the cases."""
        if not user.is_authenticated:
            return self.none()
        if user.handles_reports_and_cases:
            return self.all()
        return self.filter(
            Q(pk__in=self.model.objects.addressed_to(user).values("pk")) | Q(case__coordinator_user=user)
        )

    def running(self) -> "ReferralQuerySet":
        return self.filter(status__in=RUNNING)

    def addressed_to(self, user: "User") -> "ReferralQuerySet":
        """Referrals to the user's organisation that its partner users read and answer (pages and API): while one
        asks something of them (sent, its covenant holding for them, their access to the case not revoked since it
        was made) or while they work on the case under it (accepted or completed, with an active grant on the case).
        Not before it is sent, nor once withdrawn or declined: the person's name and the note on consent are
        need-to-know (probe finding 10)."""
        if not user.is_authenticated or not user.organisation_id or not user.has_role("partner"):
            return self.none()
        today = timezone.localdate()
        same = {"case": OuterRef("case"), "organisation": OuterRef("organisation")}
        revoked_since = AccessGrant.objects.filter(**same, revoked_at__gte=OuterRef("created_at"))
        asks = Q(status=ReferralStatus.SENT) & covenant_holds(today) & ~Q(Exists(revoked_since))
        works = Q(status__in=WORKED_ON) & Q(Exists(AccessGrant.objects.active(today).filter(**same)))
        return self.filter(asks | works, organisation_id=user.organisation_id)


class Referral(ChoiceLabelsModel):
    case = models.ForeignKey(Case, related_name="referrals", on_delete=models.CASCADE)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), related_name="referrals", null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("to organisation"), related_name="referrals", on_delete=models.PROTECT
    )
    purpose = models.TextField(_("purpose"))
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    covenant = models.ForeignKey(
        Covenant, verbose_name=_("covenant"), related_name="referrals", null=True, on_delete=models.PROTECT
    )
    consent = models.CharField(_("consent of the person"), max_length=10, choices=Consent.choices)
    consent_note = models.TextField(_("about the consent"), blank=True)
    override_reason = models.TextField(_("reason to refer to the police without consent"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.PROTECT
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case} → {self.organisation}"


class ReferralTransition(ChoiceLabelsModel):
    referral = models.ForeignKey(Referral, related_name="transitions", on_delete=models.CASCADE)
    transition = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.to_status}"
