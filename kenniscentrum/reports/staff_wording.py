"""How the staff side speaks about a reporter, where the public form speaks as or to the reporter.

The public form asks "Who are you?" and offers "I am worried about someone"; a worker entering a report heard on the
phone, and every staff page, speaks about the reporter instead. Kept apart so these texts are in the staff
catalogues only (Dutch and English; lib/management/commands/catalogues.py).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.vocabulary import ContactPreference, ExploitationForm, ReporterRole, YesNoUnknown

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
    "language": _("The reporter's language"),
    "acute_danger": _("Is someone in danger right now, according to the reporter?"),
    "reporter_role": _("Who is the reporter?"),
    "description": _("What did the reporter tell?"),
    "suspected_forms": _("What does the reporter think is going on?"),
    "when_text": _("When did it happen, according to the reporter?"),
    "ongoing": _("Is it still going on, according to the reporter?"),
    "contact_preference": _("May the centre contact the reporter?"),
    "reporter_name": _("The reporter's name"),
    "reporter_phone": _("The reporter's phone number"),
    "reporter_email": _("The reporter's e-mail address"),
    "email_notice": _("May the reporter get a short e-mail when the centre has answered?"),
    "contact_safety_note": _("When and how is it safe to contact the reporter?"),
    "consent_share_identity": _("May partner organisations (such as the police) be told who the reporter is?"),
}
INTAKE_HELP = {
    "language": _("Standard replies to the reporter go out in this language; the report page shows their Dutch or "
                  "English text beside it."),
    "description": _("As far as possible in the reporter's words: what they saw or heard, and who is involved."),
    "residence_municipality": _("Where the person it happens to lives, if the reporter knows. This can be another "
                                "municipality."),
    "attachments": _("Up to 5 photos (JPEG, PNG, WebP) or PDF files of at most 10 MB each. Location and camera data "
                     "are removed from photos."),
    "email_notice": _("Only if nobody else reads the reporter's e-mail. The e-mail says only that there is a message: "
                      "never what it says, and never the receipt code."),
    "contact_safety_note": _("For example: only after 6 pm, leave no voicemail."),
}  # fmt: skip
# "Don't know" in the reporter's voice on the public form; here the worker records what is not known.
NOT_KNOWN = _("Not known")
REQUIRED = {
    "reporter_role": _("Choose who the reporter is, or 'Did not say'."),
    "description": _("Write down what the reporter told."),
    "acute_danger": _("Record whether someone is in danger right now, or 'Not known'."),
    "language": _("Choose the language the reporter speaks, so that answers reach them in it."),
}


def intake_form_relabel(form: forms.Form) -> None:
    """The staff intake form's questions and choices, about the reporter in the third person."""
    for name, label in INTAKE_LABELS.items():
        form.fields[name].label = label
    for name, text in INTAKE_HELP.items():
        form.fields[name].help_text = text
    for name, message in REQUIRED.items():
        form.fields[name].error_messages["required"] = message
    for name in ("acute_danger", "ongoing"):
        form.fields[name].choices = [  # type: ignore[attr-defined]
            (value, NOT_KNOWN if value == YesNoUnknown.UNKNOWN else label) for value, label in YesNoUnknown.choices
        ]
    form.fields["suspected_forms"].choices = [  # type: ignore[attr-defined]
        (value, _("The reporter is not sure") if value == ExploitationForm.UNSURE else label)
        for value, label in form.fields["suspected_forms"].choices  # type: ignore[attr-defined]
    ]
    form.fields["suspected_forms"].help_text = ""
    for name in ("municipality", "residence_municipality"):
        form.fields[name].empty_label = _("Outside the region, or not known")  # type: ignore[attr-defined]
    form.fields["reporter_role"].choices = list(REPORTER_ROLE_FOR_STAFF.items())  # type: ignore[attr-defined]
    form.fields["contact_preference"].choices = list(CONTACT_PREFERENCE_FOR_STAFF.items())  # type: ignore[attr-defined]
    form.fields["email_notice"].choices = [("no", _("No")), ("yes", _("Yes, that is safe"))]  # type: ignore[attr-defined]
    form.fields["consent_share_identity"].choices = [  # type: ignore[attr-defined]
        (YesNoUnknown.NO, _("No, keep the reporter's details at the centre")),
        (YesNoUnknown.YES, _("Yes")),
    ]


PERSON_ROLE_OTHER = _("Other / not known")
PERSONS_TOO_MANY = _("At most two people here; write about the others under 'What did the reporter tell?'.")
DETAILS_TOO_MANY = _("At most %(num)d details here; write about the others under 'What did the reporter tell?'.")
DETAIL_VALUE = _("What the reporter knows")
DETAIL_KEEP = _("Keep it as typed")
# A detail not recognised, in staff words (the public form's messages speak as the reporter).
DETAIL_NOT_RECOGNISED = _("Not recognised as this kind of detail. Check it, or tick 'Keep it as typed'.")
DETAIL_KIND_MISSING = _("Choose what kind of detail it is.")


# Whether an interpreter helped with a contact with the reporter (a message or the feedback), per contact.
INTERPRETER_USED = _("An interpreter helped with this contact")
STANDARD_REPLY_LABEL = _("Start from a standard text")
