"""Identifiers and where they were seen: the links between reports, persons and cases that one report alone cannot
show (a phone number in three reports from three municipalities)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.identifiers import kind_name, masked
from kenniscentrum.lib.models import ChoiceLabelsModel
from kenniscentrum.lib.vocabulary import LegalBasis


class Identifier(models.Model):
    """One value of one kind, normalised (kinds.py): "06-12345678" and "+31 6 1234 5678" are one identifier."""

    kind = models.CharField(_("kind"), max_length=30)
    value = models.CharField(_("value"), max_length=200)
    # False: the value did not validate and is kept as text; it matches only the same text.
    valid = models.BooleanField(_("recognised"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_identifier_per_value")]

    def __str__(self) -> str:
        return f"{self.kind_name}: {self.shown}"

    @property
    def kind_name(self) -> str:
        return kind_name(self.kind)

    @property
    def shown(self) -> str:
        return masked(self.kind, self.value)


class SightingSource(models.TextChoices):
    REPORTER = "reporter", _("Given by the reporter")
    STAFF = "staff", _("Recorded by staff")
    TEXT = "text", _("Found in a text, accepted by staff")


# Where a sighting can be: exactly one of these (a database rule).
TARGETS = ("report", "report_person", "case", "person", "note")


class Sighting(ChoiceLabelsModel):
    """Where an identifier was seen: a report, a person mentioned in a report, a case, a person in the case file,
    or a note; with what was typed, where it came from and who recorded it."""

    identifier = models.ForeignKey(Identifier, related_name="sightings", on_delete=models.PROTECT)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, related_name="sightings", on_delete=models.CASCADE
    )
    report_person = models.ForeignKey(
        "reports.ReportPerson", null=True, blank=True, related_name="sightings", on_delete=models.CASCADE
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, related_name="sightings", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, related_name="sightings", on_delete=models.CASCADE
    )
    note = models.ForeignKey("cases.Note", null=True, blank=True, related_name="sightings", on_delete=models.CASCADE)
    # As typed: for an address the street and place too.
    typed = models.CharField(_("as typed"), max_length=300)
    source = models.CharField(_("source"), max_length=10, choices=SightingSource.choices)
    # Needed for a BSN: processing one needs a legal basis (linking/services.py).
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["identifier", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(**{f"{t}__isnull": False}, **{f"{o}__isnull": True for o in TARGETS if o != t})
                        for t in TARGETS
                    ],
                    _connector=Q.OR,
                ),
                name="sighting_in_exactly_one_place",
            ),
            *[
                models.UniqueConstraint(
                    fields=["identifier", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"once_per_{target}",
                )
                for target in TARGETS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.identifier_id} @ {self.target_name}"

    @property
    def target_name(self) -> str:
        return next(t for t in TARGETS if getattr(self, f"{t}_id") is not None)


class Dismissal(models.Model):
    """A candidate found in a text that staff said is not an identifier: it is not suggested again for that report,
    or for any note of that case. It goes with the report or note it was found in."""

    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, related_name="dismissals", on_delete=models.CASCADE
    )
    note = models.ForeignKey("cases.Note", null=True, blank=True, related_name="dismissals", on_delete=models.CASCADE)
    kind = models.CharField(max_length=30)
    value = models.CharField(max_length=200)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, note__isnull=True) | Q(report__isnull=True, note__isnull=False),
                name="dismissal_in_one_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("To review")
    CONFIRMED = "confirmed", _("The same human")
    REJECTED = "rejected", _("Not the same human")


class PersonMatch(ChoiceLabelsModel):
    """Two persons in the case file that person matching (matching.py) thinks are the same human, and what a case
    director decided (MATCH_FLOW): confirmed links them as one human, rejected keeps the pair from being suggested
    again; either can be undone."""

    person_a = models.ForeignKey("cases.Person", related_name="+", on_delete=models.CASCADE)
    person_b = models.ForeignKey("cases.Person", related_name="+", on_delete=models.CASCADE)
    probability = models.FloatField(_("match probability"))
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED)
    # Why it was decided, as the step's text (MATCH_FLOW text_field).
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_match_per_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=models.F("person_b")), name="match_pair_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id}"


class PersonMatchTransition(ChoiceLabelsModel):
    """One row per decision on a match (linking/workflow.py MATCH_FLOW)."""

    match = models.ForeignKey(PersonMatch, related_name="transitions", on_delete=models.CASCADE)
    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=MatchStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_status} -> {self.to_status}"
