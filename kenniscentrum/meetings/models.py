"""Case meetings: the screening team and the casusoverleg, with cases as agenda items."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.models import Case
from kenniscentrum.lib.models import ChoiceLabelsModel
from kenniscentrum.organisations.models import Organisation

if TYPE_CHECKING:
    from kenniscentrum.accounts.models import User


class MeetingType(models.TextChoices):
    SCREENING = "screening", _("Screening team")
    CASE_MEETING = "case_meeting", _("Case meeting (casusoverleg)")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: "User") -> "MeetingQuerySet":
        """The centre sees every meeting; others the meetings their organisation attends, and those with a case
        on the agenda that they may see. Of a meeting they see only the items of those cases
        (AgendaItem.objects.visible_to)."""
        if not user.is_authenticated:
            return self.none()
        if user.handles_reports_and_cases:
            return self.all()
        cases = Case.objects.visible_to(user)
        on_agenda = Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), case__in=cases))
        attends = Exists(
            Meeting.organisations.through.objects.filter(
                meeting=OuterRef("pk"), organisation_id=user.organisation_id or 0
            )
        )
        return self.filter(on_agenda | attends)


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def visible_to(self, user: "User") -> "AgendaItemQuerySet":
        """An item's minutes are for those who may see its case: for partners, an active grant on that case."""
        if user.is_authenticated and user.handles_reports_and_cases:
            return self.all()
        return self.filter(case__in=Case.objects.visible_to(user))


class Meeting(ChoiceLabelsModel):
    type = models.CharField(_("type"), max_length=20, choices=MeetingType.choices)
    held_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisations present"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {date_format(timezone.localtime(self.held_at), 'DATETIME_FORMAT')}"


class AgendaItem(models.Model):
    """One case on a meeting's agenda; its minutes are for organisations with a grant on that case."""

    meeting = models.ForeignKey(Meeting, related_name="items", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, related_name="agenda_items", on_delete=models.PROTECT)
    minutes = models.TextField(_("minutes"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="unique_agenda_case")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.case}"


class Decision(models.Model):
    item = models.ForeignKey(AgendaItem, related_name="decisions", on_delete=models.CASCADE)
    text = models.TextField(_("decision"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]
