"""Regenerates and compiles the translation catalogues (needs GNU gettext); the .mo files are committed.

Staff languages get every text. The visitors' languages get only the texts of the public side: the
sources below are the staff side, which exists in Dutch and English only.
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORE = [".venv/*", "tests/*", "bench/*", "var/*"]
STAFF_SIDE = [
    "kenniscentrum/accounts/*",
    "kenniscentrum/audit/*",
    "kenniscentrum/cases/*",
    "kenniscentrum/referrals/*",
    "kenniscentrum/meetings/*",
    "kenniscentrum/organisations/*",
    "kenniscentrum/*/management/*",
    "kenniscentrum/*/admin.py",
    "kenniscentrum/*/demo.py",
    "kenniscentrum/upkeep/*",
    "kenniscentrum/api/*",
    "kenniscentrum/templates/admin/*",
    "kenniscentrum/templates/upkeep/*",
    "kenniscentrum/notifications/*",
    "kenniscentrum/linking/views.py",
    "kenniscentrum/linking/forms.py",
    "kenniscentrum/linking/models.py",
    "kenniscentrum/linking/services.py",
    "kenniscentrum/linking/apps.py",
    "kenniscentrum/linking/network.py",
    "kenniscentrum/linking/extract.py",
    "kenniscentrum/linking/workflow.py",
    "kenniscentrum/linking/matching.py",
    "kenniscentrum/linking/management/*",
    "kenniscentrum/templates/linking/*",
    "kenniscentrum/templates/notifications/*",
    "kenniscentrum/lib/admin_site.py",
    "kenniscentrum/reports/views_staff.py",
    "kenniscentrum/reports/forms_staff.py",
    "kenniscentrum/reports/consultations.py",
    "kenniscentrum/insights/*",
    "kenniscentrum/templates/insights/*",
    "kenniscentrum/reports/staff_wording.py",
    "kenniscentrum/reports/history.py",
    "kenniscentrum/reports/terms.py",
    "kenniscentrum/templates/accounts/*",
    "kenniscentrum/templates/admin/*",
    "kenniscentrum/templates/reports/*",
    "kenniscentrum/templates/cases/*",
    "kenniscentrum/templates/referrals/*",
    "kenniscentrum/templates/meetings/*",
    "kenniscentrum/templates/includes/action_form.html",
    "kenniscentrum/templates/includes/signals_form.html",
    "kenniscentrum/templates/includes/pagination.html",
]


def visitor_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code not in settings.STAFF_LANGUAGES]


def catalogues_make(verbosity: int = 0) -> None:
    options = {"no_obsolete": True, "no_location": True, "verbosity": verbosity}
    call_command("makemessages", locale=settings.STAFF_LANGUAGES, ignore_patterns=IGNORE, **options)
    call_command("makemessages", locale=visitor_languages(), ignore_patterns=IGNORE + STAFF_SIDE, **options)


class Command(BaseCommand):
    help = "Regenerates the translation catalogues of every language and compiles them."

    def handle(self, *args: Any, **options: Any) -> None:
        catalogues_make(verbosity=options["verbosity"])
        call_command("compilemessages", ignore_patterns=[".venv/*"], verbosity=options["verbosity"])
