from django import template
from django.utils.safestring import SafeString

from kenniscentrum.reports.readers import who_reads_report

register = template.Library()


@register.simple_tag
def who_reads() -> SafeString:
    """The one statement on who reads a report (reports/readers.py)."""
    return who_reads_report()
