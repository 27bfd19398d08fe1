"""Identifiers and where they were seen: the links between reports, persons and cases that one report alone cannot
show (a phone number in three reports from three municipalities)."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.models import Case
from kenniscentrum.lib.identifiers import kind_name, masked
from kenniscentrum.lib.models import ChoiceLabelsModel, HistoryRow
from kenniscentrum.lib.vocabulary import LegalBasis

if TYPE_CHECKING:
    from kenniscentrum.accounts.models import User
    from kenniscentrum.cases.models import Person
    from kenniscentrum.reports.models import ReportPerson


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
TARGETS = ("report", "report_person", "case", "person", "note", "business", "place")


class Sighting(ChoiceLabelsModel):
    """Where an identifier was seen: a report, a person mentioned in a report, a case, a person in the case file,
    a note, a business or a place; with what was typed, where it came from and who recorded it."""

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
    # A business's phone number or website, a place's address.
    business = models.ForeignKey(
        "linking.Business", null=True, blank=True, related_name="sightings", on_delete=models.CASCADE
    )
    place = models.ForeignKey(
        "linking.Place", null=True, blank=True, related_name="sightings", on_delete=models.CASCADE
    )
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


def match_key(obj: models.Model) -> str:
    """A person's key in matching: "p12" for a person in the case file, "r5" for a person a report mentions."""
    return f"{'r' if obj._meta.model_name == 'reportperson' else 'p'}{obj.pk}"


class PersonMatch(ChoiceLabelsModel):
    """Two persons that person matching (matching.py) thinks are the same human, and what a case director decided
    (MATCH_FLOW): confirmed links them as one human, rejected keeps the pair from being suggested again; either can
    be undone. Each side is a person in the case file or a person a report mentions (as the reporter described them),
    so a suspect named in three reports, or a victim reported twice before any case, is found too."""

    person_a = models.ForeignKey("cases.Person", null=True, blank=True, related_name="+", on_delete=models.CASCADE)
    report_person_a = models.ForeignKey(
        "reports.ReportPerson", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    person_b = models.ForeignKey("cases.Person", null=True, blank=True, related_name="+", on_delete=models.CASCADE)
    report_person_b = models.ForeignKey(
        "reports.ReportPerson", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    # The two sides' keys (match_key) in order, "p3~r7": one row per pair, whichever side was found first.
    pair = models.CharField(max_length=50, unique=True)
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
            models.CheckConstraint(
                condition=Q(person_a__isnull=False, report_person_a__isnull=True)
                | Q(person_a__isnull=True, report_person_a__isnull=False),
                name="match_side_a_is_one",
            ),
            models.CheckConstraint(
                condition=Q(person_b__isnull=False, report_person_b__isnull=True)
                | Q(person_b__isnull=True, report_person_b__isnull=False),
                name="match_side_b_is_one",
            ),
        ]

    def __str__(self) -> str:
        return self.pair

    @property
    def side_a(self) -> "Person | ReportPerson":
        side = self.person_a or self.report_person_a
        assert side is not None  # match_side_a_is_one
        return side

    @property
    def side_b(self) -> "Person | ReportPerson":
        side = self.person_b or self.report_person_b
        assert side is not None  # match_side_b_is_one
        return side


class PersonMatchTransition(HistoryRow):
    """One row per decision on a match (linking/workflow.py MATCH_FLOW)."""

    match = models.ForeignKey(PersonMatch, related_name="transitions", on_delete=models.CASCADE)
    from_status = models.CharField(max_length=10, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=MatchStatus.choices)

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_status} -> {self.to_status}"


def _region_kinds(key: str) -> list[tuple[str, str]]:
    from kenniscentrum.lib.region import localised, region

    return [(k["code"], localised(k["names"])) for k in region().get("linking", {}).get(key, [])]


def business_kinds() -> list[tuple[str, str]]:
    """The region's kinds of business (region file `linking.business_kinds`)."""
    return _region_kinds("business_kinds")


def place_kinds() -> list[tuple[str, str]]:
    """The region's kinds of place (region file `linking.place_kinds`)."""
    return _region_kinds("place_kinds")


class NodeQuerySet(models.QuerySet[Any]):
    """Businesses and places: the register is the centre's. Its intake workers and case directors see all of it (its
    pages are theirs alone); anyone else only what is linked to a case they see or to a person in one, so the link
    form of a coordinator's own case is no way into the register (probe finding 12)."""

    def visible_to(self, user: "User") -> Any:
        if not user.is_authenticated:
            return self.none()
        if user.handles_reports_and_cases:
            return self.all()
        cases = Case.objects.visible_to(user)
        linked = Mention.objects.filter(Q(case__in=cases) | Q(person__involvements__case__in=cases))
        return self.filter(pk__in=linked.values("business_id" if self.model is Business else "place_id"))


class Business(models.Model):
    """A business that reports, cases and persons point to: an employment agency, a massage parlour, a farm."""

    name = models.CharField(_("name"), max_length=200)
    # The chamber of commerce number (KvK), eight digits, when known.
    kvk = models.CharField(_("KvK number"), max_length=8, blank=True)
    kind = models.CharField(_("kind"), max_length=30)
    # The register's business with this KvK number, when the one who typed this one in may not see that one: they
    # get the business as they typed it, and the centre sees the match (probe finding 12, docs/linking.md). The
    # register keeps one business per KvK number: the one without same_as.
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("in the register as"),
        null=True,
        blank=True,
        related_name="typed_as",
        on_delete=models.PROTECT,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NodeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kvk"], condition=~Q(kvk="") & Q(same_as__isnull=True), name="one_business_per_kvk"
            ),
            models.CheckConstraint(condition=Q(same_as__isnull=True) | ~Q(kvk=""), name="same_as_by_kvk"),
            models.CheckConstraint(condition=Q(kvk="") | Q(kvk__regex=r"^[0-9]{8}$"), name="kvk_eight_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_name(self) -> str:
        return dict(business_kinds()).get(self.kind, self.kind)


class Place(models.Model):
    """A place that reports, cases and persons point to: where people work, live, are picked up; its address is an
    identifier seen at the place."""

    kind = models.CharField(_("kind"), max_length=30)
    label = models.CharField(_("description"), max_length=200)
    business = models.ForeignKey(
        Business, verbose_name=_("business"), null=True, blank=True, related_name="places", on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NodeQuerySet.as_manager()

    class Meta:
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def kind_name(self) -> str:
        return dict(place_kinds()).get(self.kind, self.kind)


# What a business or place is linked to: exactly one of these (a database rule).
MENTIONED_IN = ("report", "case", "person")


class Mention(models.Model):
    """A business or a place linked to a report, a case or a person, with what the link is ("employer", "lives
    there") and who recorded it."""

    business = models.ForeignKey(Business, null=True, blank=True, related_name="mentions", on_delete=models.CASCADE)
    place = models.ForeignKey(Place, null=True, blank=True, related_name="mentions", on_delete=models.CASCADE)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, related_name="mentions", on_delete=models.CASCADE
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, related_name="mentions", on_delete=models.CASCADE)
    person = models.ForeignKey("cases.Person", null=True, blank=True, related_name="mentions", on_delete=models.CASCADE)
    note = models.CharField(_("how it is linked"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(business__isnull=False, place__isnull=True) | Q(business__isnull=True, place__isnull=False),
                name="mention_of_business_or_place",
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(**{f"{t}__isnull": False}, **{f"{o}__isnull": True for o in MENTIONED_IN if o != t})
                        for t in MENTIONED_IN
                    ],
                    _connector=Q.OR,
                ),
                name="mention_in_exactly_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_id or self.place_id} @ {self.report_id or self.case_id or self.person_id}"
