from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpkeepConfig(AppConfig):
    """What combines every room: the demo data, retention, backups and a person's data on request (AVG art. 15). It
    sits above the apps it combines, so none of them imports another app above its own layer (docs/architecture.md)."""

    name = "kenniscentrum.upkeep"
    label = "upkeep"
    verbose_name = _("Upkeep")

    def ready(self) -> None:
        from kenniscentrum.lib.panels import panel_register

        from . import views

        panel_register("person", views.request_panel)
        panel_register("report", views.request_panel)
