from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpkeepConfig(AppConfig):
    """What combines every room: the demo data and retention. It sits above the apps it combines, so none of
    them imports another app above its own layer (docs/architecture.md)."""

    name = "kenniscentrum.upkeep"
    label = "upkeep"
    verbose_name = _("Upkeep")
