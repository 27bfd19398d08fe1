"""The monitor's figures: counts per month, municipality, measure and value. No personal data, so they outlive the
records they were counted from."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FigureSource(models.TextChoices):
    # Counted again from the records that exist (figures_refresh, nightly and on demand).
    LIVE = "live", _("Counted from the records")
    # Kept when retention deleted the records they were counted from; never counted again.
    KEPT = "kept", _("Kept after retention")


class Figure(models.Model):
    """How many of something in one month and one municipality: reports by channel, possible victims by age band, days
    from receipt to triage. The figure the monitor shows is the sum of both sources."""

    source = models.CharField(max_length=4, choices=FigureSource.choices)
    month = models.DateField()
    # The CBS code of the municipality where it happens, or empty: outside the region, or not known.
    municipality = models.CharField(max_length=6, blank=True)
    measure = models.CharField(max_length=40)
    value = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "measure", "month", "municipality", "value"], name="one_figure_per_cell"
            ),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="figure_counts_something"),
        ]
        indexes = [models.Index(fields=["measure", "month"], name="figure_measure_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.municipality or '-'} {self.measure}={self.value}: {self.count}"


class Release(models.Model):
    """The figures of one completed calendar year as they leave the centre, made once and never changed: everything
    outside the centre (pages, exports, the API) reads releases only, so no choice of period or combination of
    requests gives anything the releases did not (docs/insights.md, "The publication model"). The release log is the
    list of these rows."""

    year = models.PositiveIntegerField(unique=True)
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    # The tables as published: codes and shown values only ("12", "< 5", "x", "."); labels are the codes' names,
    # given in the reader's language when shown.
    published = models.JSONField()
    # The exact counts the release was made from: inside the centre only, and what later releases build on, so a
    # multi-year total sums the same numbers its years were published from, and a late change to a released year
    # never shows in what is published.
    exact = models.JSONField()
    # The de-identified record file of the year (records.py): rows, shuffled, and what was measured on them.
    records = models.JSONField(default=dict)
    # SHA-256 of `published` and `records`, shown in the release log, so a copy can be checked against it.
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=2000), name="release_year_from_2000")]

    def __str__(self) -> str:
        return f"release {self.year}"

    def save(self, *args: object, **kwargs: object) -> None:
        # A release is frozen: what was published for a year stays what it was.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("A release is never changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
