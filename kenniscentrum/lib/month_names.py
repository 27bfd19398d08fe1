"""The month names as the project's catalogues give them.

Django's own Romanian and Bulgarian catalogues write month names with a capital ("29 Noiembrie", "29 Ноември"),
which is wrong in both languages. Naming the same messages here puts them in the project's catalogues, which Django
reads before its own (LOCALE_PATHS), so dates read "29 noiembrie" and "29 ноември".
"""

from django.utils.translation import gettext_lazy as _

MONTHS = [
    _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
    _("September"), _("October"), _("November"), _("December"),
]  # fmt: skip
