"""The monitor's figures: counts per month, municipality, measure and value. No personal data, so they outlive the
records they were counted from."""

from django.db import models
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
