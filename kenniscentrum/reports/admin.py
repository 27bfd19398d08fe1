from typing import Any

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.admin_site import AuditedAdmin, site

from .models import StandardReply

# One text box per visitor language: a standard reply exists in all of them, so every reporter can read it.
LANGUAGE_FIELDS = {
    f"text_{code}": forms.CharField(
        # The language named in the administrator's language ("Tekst (Engels)"), as on the other admin pages.
        label=format_lazy(_("Text ({language})"), language=_(LANG_INFO[code]["name"])),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    for code, _name in settings.LANGUAGES
}


class StandardReplyFormBase(forms.ModelForm):
    class Meta:
        model = StandardReply
        fields = ["title", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.fields[f"text_{code}"].initial = self.instance.texts.get(code, "")

    def save(self, commit: bool = True) -> StandardReply:
        self.instance.texts = {code: self.cleaned_data[f"text_{code}"].strip() for code, _name in settings.LANGUAGES}
        return super().save(commit)


StandardReplyForm = type("StandardReplyForm", (StandardReplyFormBase,), dict(LANGUAGE_FIELDS))


@admin.register(StandardReply, site=site)
class StandardReplyAdmin(AuditedAdmin):
    form = StandardReplyForm
    list_display = ["title", "active"]
    list_filter = ["active"]
    fields = ["title", "active", *LANGUAGE_FIELDS]
