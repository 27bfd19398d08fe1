"""How the staff side speaks about a reporter, where the public form speaks as or to the reporter.

The public form asks "Who are you?" and offers "I am worried about someone"; a worker entering a report heard on the
phone, and every staff page, speaks about the reporter instead. Kept apart so these texts are in the staff
catalogues only (Dutch and English; lib/management/commands/catalogues.py).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.vocabulary import ContactPreference, ReporterRole, YesNoUnknown

REPORTER_ROLE_FOR_STAFF: dict[str, Any] = {
    ReporterRole.VICTIM: _("About themselves: possibly exploited"),
    ReporterRole.CONCERNED: _("Worried about someone (family, friend, neighbour)"),
    ReporterRole.PROFESSIONAL: _("A professional"),
    ReporterRole.PERPETRATOR: _("Wants help to stop exploiting others"),
    ReporterRole.UNKNOWN: _("Did not say"),
}
CONTACT_PREFERENCE_FOR_STAFF: dict[str, Any] = {
    ContactPreference.ANONYMOUS: _("Anonymous: only through the receipt code"),
    ContactPreference.PHONE: _("By phone"),
    ContactPreference.EMAIL: _("By e-mail"),
}
INTAKE_LABELS = {
    "acute_danger": _("Is someone in danger right now, according to the reporter?"),
    "reporter_role": _("Who is the reporter?"),
    "description": _("What did the reporter tell?"),
    "suspected_forms": _("What does the reporter think is going on?"),
    "contact_preference": _("May we contact the reporter?"),
    "reporter_name": _("The reporter's name"),
    "reporter_phone": _("The reporter's phone number"),
    "reporter_email": _("The reporter's e-mail address"),
    "contact_safety_note": _("When and how is it safe to contact the reporter?"),
    "consent_share_identity": _("May partner organisations (such as the police) be told who the reporter is?"),
}


def intake_form_relabel(form: forms.Form) -> None:
    """The staff intake form's questions and choices, about the reporter."""
    for name, label in INTAKE_LABELS.items():
        form.fields[name].label = label
    form.fields["description"].help_text = _(
        "As far as possible in the reporter's words: what they saw or heard, and who is involved."
    )
    form.fields["reporter_role"].choices = list(REPORTER_ROLE_FOR_STAFF.items())  # type: ignore[attr-defined]
    form.fields["contact_preference"].choices = list(CONTACT_PREFERENCE_FOR_STAFF.items())  # type: ignore[attr-defined]
    form.fields["consent_share_identity"].choices = [  # type: ignore[attr-defined]
        (YesNoUnknown.NO, _("No, keep the reporter's details at the centre")),
        (YesNoUnknown.YES, _("Yes")),
    ]
    form.fields["reporter_role"].error_messages["required"] = _("Choose who the reporter is, or 'Did not say'.")


# Whether an interpreter helped with a contact with the reporter (a message or the feedback), per contact.
INTERPRETER_USED = _("An interpreter helped with this contact")
STANDARD_REPLY_LABEL = _("Start from a standard text")
