from django.db import models
from django.utils.translation import gettext_lazy as _


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

    @property
    def is_centre(self) -> bool:
        """This region's own centre."""
        return self.type == OrganisationType.KNOWLEDGE_CENTRE and not self.other_region
