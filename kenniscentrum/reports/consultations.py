"""Advice and consultation contacts: someone asked the centre something without reporting. Staff-only, so its texts
are in the staff languages only (lib/management/commands/catalogues.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.models import ChoiceLabelsModel
from kenniscentrum.lib.vocabulary import Channel
from kenniscentrum.organisations.models import Municipality


class ConsultationAsker(models.TextChoices):
    PROFESSIONAL = "professional", _("A professional")
    CONCERNED = "concerned", _("A worried person (family, friend, neighbour)")
    AFFECTED = "affected", _("Someone it may be happening to")
    OTHER = "other", _("Someone else, or did not say")


class ProfessionalField(models.TextChoices):
    """The project's own list of fields a professional asking for advice works in."""

    POLICE = "police", _("Police or justice")
    MUNICIPALITY = "municipality", _("Municipality")
    CARE = "care", _("Care, social work or shelter")
    HEALTH = "health", _("Health care")
    EDUCATION = "education", _("Education")
    LABOUR = "labour", _("Labour inspectorate or employment")
    BUSINESS = "business", _("A business or employer")
    OTHER = "other", _("Other")


class ConsultationTopic(models.TextChoices):
    SIGNALS = "signals", _("Recognising signals")
    NEXT_STEPS = "next_steps", _("What to do, where to go")
    REPORTING = "reporting", _("Making a report")
    CARE = "care", _("Care, shelter and support")
    RULES = "rules", _("Rules and rights")
    TRAINING = "training", _("Training or information")
    OTHER = "other", _("Other")


class Consultation(ChoiceLabelsModel):
    """An advice or consultation contact: someone asked the centre something without reporting. Counted apart from
    reports in the monitor. Nothing about who asked is kept beyond the kind of asker: no name, no contact details and
    no free text, so a consultation holds no personal data."""

    received_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    asker = models.CharField(_("who asked"), max_length=15, choices=ConsultationAsker.choices)
    field = models.CharField(_("field of the professional"), max_length=15, choices=ProfessionalField.choices,
                             blank=True)  # fmt: skip
    topic = models.CharField(_("topic"), max_length=15, choices=ConsultationTopic.choices)
    # Codes of lib.vocabulary.exploitation_forms, when the question was about one.
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The form's one-time token: a second post of the same form is the same consultation, not another one.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            # Only a professional has a field.
            models.CheckConstraint(
                condition=models.Q(asker="professional") | models.Q(field=""), name="consultation_field_of_professional"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.get_topic_display()}"
