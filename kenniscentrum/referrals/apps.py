from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "kenniscentrum.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from kenniscentrum.cases.signals import case_closing

        from . import timeline  # noqa: F401 - registers the referral steps as a timeline source
        from .services import withdraw_when_case_closes

        case_closing.connect(withdraw_when_case_closes, dispatch_uid="referrals.withdraw_when_case_closes")
