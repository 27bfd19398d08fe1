from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The regional monitor: figures for the centre, the municipalities and the country, safe to share. It reads
    every app below it and keeps the figures of records that retention deletes (figures.py)."""

    name = "kenniscentrum.insights"
    label = "insights"
    verbose_name = _("Monitor")

    def ready(self) -> None:
        from kenniscentrum.lib.panels import panel_register

        from . import views

        panel_register("case", views.deidentify_panel)
