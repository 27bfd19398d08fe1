"""How form widgets are drawn: Django's own widget templates, in their Jinja2 form.

Django ships every widget template twice, for its template language and for Jinja2; the HTML is the same. Drawn
through Jinja2 a select with its options costs a fraction of the time, and the staff pages draw many (a profile of
the triage queue put a third of the page in its filter form). The administration's own widgets (the date and
related-object widgets) exist only for Django's template language and are drawn by it.
"""

from functools import cached_property
from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class WidgetRenderer(BaseRenderer):
    @cached_property
    def jinja2(self) -> Jinja2:
        return Jinja2()

    @cached_property
    def django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
