from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "kenniscentrum.meetings"
    label = "meetings"
    verbose_name = _("Case meetings")

    def ready(self) -> None:
        from . import timeline  # noqa: F401 - registers the decisions as a timeline source
