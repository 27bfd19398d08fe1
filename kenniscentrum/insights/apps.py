import os
import sys
import threading

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
        if serving_with_runserver():
            from kenniscentrum.startup import warm_up

            # In a thread: the demo answers at once, and a de-identification asked for meanwhile waits for this load.
            threading.Thread(target=warm_up, name="warm-up", daemon=True).start()


def serving_with_runserver() -> bool:
    """Whether this is the process `manage.py runserver` serves from (its autoreloader's child, RUN_MAIN), not the
    reloader itself, a test or another management command. gunicorn warms up in its master (deploy/gunicorn.conf.py)."""
    return len(sys.argv) > 1 and sys.argv[1] == "runserver" and os.environ.get("RUN_MAIN") == "true"
