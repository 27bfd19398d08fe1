from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkingConfig(AppConfig):
    """Identifiers (phone numbers, addresses, IBANs, plates, ...) and where they were seen, so the centre sees what one
    report cannot. It sits above reports and cases and adds its panel to their pages (lib/panels.py)."""

    name = "kenniscentrum.linking"
    label = "linking"
    verbose_name = _("Linking")

    def ready(self) -> None:
        from kenniscentrum.cases.signals import person_details_changed
        from kenniscentrum.lib.finders import report_finder_register
        from kenniscentrum.lib.panels import panel_register
        from kenniscentrum.reports.signals import report_details_given

        from . import finders, services, views

        report_details_given.connect(services.on_report_details_given, dispatch_uid="linking.report_details")
        person_details_changed.connect(services.on_person_details_changed, dispatch_uid="linking.person_details")
        panel_register("report", views.report_panel)
        panel_register("report_sent", views.reporter_details_panel)
        panel_register("case", views.case_panel)
        panel_register("person", views.person_panel)
        report_finder_register(finders.reports_with_identifier)
