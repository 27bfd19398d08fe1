from datetime import date
from pathlib import PurePath
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.encryption import EncryptedTextField


class Municipality(models.Model):
    """A municipality of the region, identified by its CBS code (GM0153)."""

    name = models.CharField(_("name"), max_length=100)
    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True, help_text=_("Merged municipalities stay for old records."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    KNOWLEDGE_CENTRE = "knowledge_centre", _("Knowledge centre")
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Public prosecutor")
    CARE = "care", _("Care organisation")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    COMENSHA = "comensha", _("CoMensha")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def centre(self) -> "Organisation | None":
        return self.filter(type=OrganisationType.KNOWLEDGE_CENTRE, other_region="").first()

    def partners(self) -> "OrganisationQuerySet":
        """The region's own partners: grants, referrals and tasks go to them."""
        return self.exclude(type=OrganisationType.KNOWLEDGE_CENTRE).filter(active=True, other_region="")

    def other_centres(self) -> "OrganisationQuerySet":
        """Other regions' knowledge centres, to hand a case or a trajectory over to or receive one from."""
        return self.filter(type=OrganisationType.KNOWLEDGE_CENTRE, active=True).exclude(other_region="")


# Users who work at this region's own centre, as a filter on users.
CENTRE_MEMBERS = models.Q(organisation__type=OrganisationType.KNOWLEDGE_CENTRE, organisation__other_region="")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT
    )
    active = models.BooleanField(_("active"), default=True)
    # When it was last made inactive: part of its users' session hash (accounts.User), so the sessions open at that
    # moment end for good, and do not come back when the organisation is made active again.
    deactivated_at = models.DateTimeField(_("last made inactive"), null=True, blank=True, editable=False)
    # Empty for the region's own organisations. Another region's centre is an organisation like any other, marked
    # with its region, so it is never taken for this region's centre or partners.
    other_region = models.CharField(
        _("other region"),
        max_length=100,
        blank=True,
        db_default="",
        help_text=_("Only for an organisation of another region, for example its knowledge centre."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.active and (self.pk is None or Organisation.objects.filter(pk=self.pk, active=True).exists()):
            self.deactivated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "deactivated_at"}
        super().save(*args, **kwargs)

    @property
    def is_centre(self) -> bool:
        """This region's own centre."""
        return self.type == OrganisationType.KNOWLEDGE_CENTRE and not self.other_region


class WithoutConsent(models.TextChoices):
    """What a covenant allows for one type of organisation when the person did not consent to sharing."""

    NEVER = "never", _("Only with the person's consent")
    MINOR_OR_ACUTE = "minor_or_acute", _("Without consent only for a minor or in acute danger, with a written reason")
    ON_BASIS = "on_basis", _("Without consent on the covenant's legal basis")


class CovenantQuerySet(models.QuerySet["Covenant"]):
    def in_force(self, today: date | None = None) -> "CovenantQuerySet":
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today).filter(models.Q(ends_on=None) | models.Q(ends_on__gte=today))

    def covering(self, organisation: Organisation, today: date | None = None) -> "CovenantQuerySet":
        """Covenants in force that `organisation` is a party to."""
        return self.in_force(today).filter(parties=organisation).order_by("-starts_on", "-id")


def covenant_document_path(instance: Any, filename: str) -> str:
    """A stored covenant document is named at random, like every stored file: its own name is kept encrypted in
    `document_name` (finding 17)."""
    return f"covenants/{get_random_string(32)}{PurePath(filename).suffix.lower()[:10]}"


class Covenant(models.Model):
    """A sharing agreement (convenant) of the region: who shares personal data with whom, for what, on what legal
    basis and until when. Every grant and referral rests on one; when it ends, the grants resting on it end too
    (`cases.AccessGrantQuerySet.active`). Functional administrators keep the register (/beheer/)."""

    name = models.CharField(_("name"), max_length=200)
    parties = models.ManyToManyField(Organisation, verbose_name=_("parties"), related_name="covenants")
    scope = models.TextField(_("scope"), help_text=_("Which cases and which data the covenant is about."))
    purposes = models.TextField(_("purposes"), help_text=_("What the data may be shared for."))
    # AVG art. 6(1): the grounds a grant or referral under this covenant may name (lib.vocabulary.LegalBasis).
    legal_bases = models.JSONField(_("legal bases (AVG art. 6)"), default=list)
    special_data_basis = models.TextField(
        _("special categories (AVG art. 9, UAVG)"),
        blank=True,
        help_text=_("The exception that allows sharing health data, for example; empty when none is shared."),
    )
    criminal_data_basis = models.TextField(
        _("criminal data (AVG art. 10, UAVG)"),
        blank=True,
        help_text=_("The ground that allows sharing data about offences; empty when none is shared."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    document = models.FileField(_("signed document"), upload_to=covenant_document_path, blank=True)
    document_name = EncryptedTextField(_("name of the signed document"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CovenantQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="covenant_ends_not_before_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def document_filename(self) -> str:
        """The name the document is shown and downloaded under: the one it was uploaded with."""
        return self.document_name or PurePath(self.document.name).name

    def in_force_on(self, day: "date") -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    def without_consent(self, organisation_type: str) -> str:
        """The covenant's rule for sharing without consent with this type of organisation; without a rule for the
        type, only with consent (the strictest reading)."""
        rule = self.rules.filter(organisation_type=organisation_type).first()
        return rule.without_consent if rule else WithoutConsent.NEVER


def covenant_holds(today: date) -> models.Q:
    """As a filter on a grant or a referral (fields `covenant` and `organisation`): its covenant is in force today
    with the organisation one of its parties, or it names none (made before the register). Taking an organisation
    off a covenant, or moving the covenant's start into the future, ends what rests on it (probe finding 8)."""
    party = Covenant.parties.through.objects.filter(
        covenant_id=models.OuterRef("covenant_id"), organisation_id=models.OuterRef("organisation_id")
    )
    in_force = models.Q(covenant__starts_on__lte=today) & (
        models.Q(covenant__ends_on=None) | models.Q(covenant__ends_on__gte=today)
    )
    return models.Q(covenant=None) | (in_force & models.Q(models.Exists(party)))


class CovenantRule(models.Model):
    """Per type of organisation (police, labour inspectorate, public prosecutor, care …): when this covenant allows
    sharing without the person's consent."""

    covenant = models.ForeignKey(Covenant, related_name="rules", on_delete=models.CASCADE)
    organisation_type = models.CharField(_("type of organisation"), max_length=30, choices=OrganisationType.choices)
    without_consent = models.CharField(_("without consent"), max_length=20, choices=WithoutConsent.choices)

    class Meta:
        verbose_name = _("rule on consent")
        verbose_name_plural = _("rules on consent")
        constraints = [
            models.UniqueConstraint(fields=["covenant", "organisation_type"], name="one_rule_per_type_per_covenant")
        ]

    def __str__(self) -> str:
        return f"{self.get_organisation_type_display()}: {self.get_without_consent_display()}"
