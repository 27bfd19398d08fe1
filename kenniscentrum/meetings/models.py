"""Case meetings: the screening team and the casusoverleg, with cases as agenda items."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.models import Case
from kenniscentrum.lib.models import ChoiceLabelsModel
from kenniscentrum.organisations.models import Organisation


class MeetingType(models.TextChoices):
    SCREENING = "screening", _("Screening team")
    CASE_MEETING = "case_meeting", _("Case meeting (casusoverleg)")


class Meeting(ChoiceLabelsModel):
    type = models.CharField(_("type"), max_length=20, choices=MeetingType.choices)
    held_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisations present"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

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
