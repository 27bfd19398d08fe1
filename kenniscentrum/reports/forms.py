from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kenniscentrum.accounts.models import REPORT_ROLES, User, UserRole
from kenniscentrum.lib.forms import DateTimeField, ModelChoiceField, PublicFormSet, PublicMessages
from kenniscentrum.lib.identifiers import PUBLIC_KINDS, IdentifierKind, normalise
from kenniscentrum.lib.upload_check import CleanFile, clean_uploads
from kenniscentrum.lib.vocabulary import (
    Channel,
    ContactPreference,
    FeedbackMethod,
    Priority,
    ReporterRole,
    ReportKind,
    YesNoUnknown,
    exploitation_forms,
)
from kenniscentrum.organisations.models import Municipality, Organisation

from . import receipts, staff_wording
from .models import PersonRole, StandardReply
from .services import Submission, report_submit
from .staff_wording import INTERPRETER_USED, STANDARD_REPLY_LABEL

DESCRIPTION_MAX = 10_000
PHONE_INVALID = _(
    "Enter a phone number we can call, for example 06 12345678. A number from another country starts with + and "
    "its country code, for example +48."
)
MESSAGE_MAX = 5_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def municipality_field(residence: bool = False) -> ModelChoiceField:
    """Where it happens, or (residence) where the person it happens to lives: the monitor counts both."""
    return ModelChoiceField(
        label=_("Municipality where the person lives") if residence else _("Municipality where it happens"),
        queryset=Municipality.objects.filter(active=True),
        required=False,
        empty_label=_("Outside the region, or I don't know"),
        help_text=_("Where the person it happens to lives, if you know. This can be another municipality.")
        if residence
        else "",
        error_messages={"invalid_choice": _("Choose a municipality from the list.")},
    )


class PersonForm(PublicMessages, forms.Form):
    description = forms.CharField(
        label=_("Name or description"),
        max_length=300,
        required=False,
        help_text=_("A name, nickname, or what the person looks like."),
    )
    # A question, so that each answer ("Possibly exploited", "Other / don't know") reads as a reply to it.
    role = forms.ChoiceField(
        label=_("What is this person's role?"), choices=PersonRole.choices, initial=PersonRole.OTHER
    )
    age = forms.CharField(label=_("Age (a guess is fine)"), max_length=30, required=False)


# The form's help says "up to two people": it shows two rows, never more (not after "Room for more" or another
# language either), and refuses a third sent anyway rather than store what the visitor was told has no place.
PERSONS_MAX = 2


class PersonRows(PublicFormSet):
    default_error_messages = {
        "too_many_forms": _("You can describe at most two people here. Tell about the others in 'What happened?'.")
    }


PersonFormSet = forms.formset_factory(
    PersonForm, formset=PersonRows, extra=PERSONS_MAX, max_num=PERSONS_MAX, absolute_max=PERSONS_MAX, validate_max=True
)


# What the form says of a detail it does not recognise. The linking's own reasons end in "it is kept as text", which
# is true only once the visitor ticks "Keep it as I typed it"; the form asks first, so it says what to do instead.
NOT_RECOGNISED = {
    IdentifierKind.PHONE: _("We do not recognise this as a phone number. Check it, or tick 'Keep it as I typed it'."),
    IdentifierKind.EMAIL: _(
        "We do not recognise this as an e-mail address. Check it, or tick 'Keep it as I typed it'."
    ),
    IdentifierKind.WEB: _(
        "We do not recognise this as a web address or profile. Check it, or tick 'Keep it as I typed it'."
    ),
    IdentifierKind.PLATE: _(
        "We do not recognise this as a Dutch licence plate. Check it, or tick 'Keep it as I typed it'."
    ),
    IdentifierKind.ADDRESS: _("Add the postcode and house number if you know them, or tick 'Keep it as I typed it'."),
}


class DetailForm(PublicMessages, forms.Form):
    """Something the reporter knows about the people, places or businesses involved: a phone number, an address,
    a website, advert or profile, a licence plate, an e-mail address. Linking finds it in other reports."""

    kind = forms.ChoiceField(label=_("What is it?"), required=False)
    value = forms.CharField(label=_("What you know"), max_length=300, required=False)
    # After a value was not recognised: keep it as typed anyway (it then matches only the same text).
    keep = forms.BooleanField(label=_("Keep it as I typed it"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(IdentifierKind.choices)
        self.fields["kind"].choices = [("", "–"), *[(k, names[k]) for k in PUBLIC_KINDS]]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if value and not kind:
            self.add_error("kind", self.kind_missing)
        elif kind and value and not data.get("keep"):
            if not normalise(kind, value).valid:
                self.add_error("value", self.not_recognised(kind))
        return data

    kind_missing = _("Choose what it is.")

    def not_recognised(self, kind: str) -> Any:
        return NOT_RECOGNISED[IdentifierKind(kind)]


class DetailRows(PublicFormSet):
    default_error_messages = {
        "too_many_forms": _("You can give at most %(num)d details here. Tell about the others in 'What happened?'.")
    }


DetailFormSet = forms.formset_factory(
    DetailForm, formset=DetailRows, extra=2, max_num=20, absolute_max=20, validate_max=True
)


def details_bound(data: Any) -> forms.BaseFormSet:
    """The details as sent. A form opened before the details existed (a page left open during an update) sends
    none: that is no error, the report simply has no details."""
    return DetailFormSet(data if "details-TOTAL_FORMS" in data else None, prefix="details")


def details_valid(details: forms.BaseFormSet) -> bool:
    return details.is_valid() if details.is_bound else True


def details_given(details: forms.BaseFormSet | None) -> list[dict[str, str]]:
    """The rows of a valid details formset that say something."""
    if details is None or not details.is_bound:
        return []
    return [{"kind": d["kind"], "text": d["value"].strip()} for d in details.cleaned_data if d.get("value", "").strip()]


# A form token that is missing, forged or spent: the form comes back with a new one and everything typed.
TOKEN_INVALID = _(
    "This form was not made by this site or is no longer valid. Check your answers and send the form again."
)


class ReportForm(PublicMessages, forms.Form):
    """The public report form. Every field but who you are, what happened and the danger question is optional."""

    # One per form page; sending the same token again shows the same report (see js/forms.js for Back).
    token = forms.CharField(
        widget=forms.HiddenInput, max_length=64, error_messages={"required": TOKEN_INVALID, "max_length": TOKEN_INVALID}
    )
    # Signal codes carried over from the signals check (space-separated); stored with the report.
    signal_codes = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)
    acute_danger = forms.ChoiceField(
        label=_("Is someone in danger right now?"), choices=YesNoUnknown.choices, widget=forms.RadioSelect
    )
    reporter_role = forms.ChoiceField(label=_("Who are you?"), choices=ReporterRole.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tell it in your own words. What did you see or hear? Who is involved? At most 10,000 characters."),
    )
    suspected_forms = forms.MultipleChoiceField(
        label=_("What do you think is going on?"),
        choices=exploitation_forms,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. Choose one or more, or none."),
    )
    municipality = municipality_field()
    residence_municipality = municipality_field(residence=True)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Town, street, or a name of a business."),
    )
    when_text = forms.CharField(
        label=_("When did it happen?"),
        max_length=200,
        required=False,
        help_text=_("A date, or for example 'since last summer'."),
    )
    ongoing = forms.ChoiceField(
        label=_("Is it still going on?"),
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )
    attachments = MultipleFileField(
        label=_("Photos or documents"),
        required=False,
        help_text=_(
            "Optional. Up to 5 photos (JPEG, PNG, WebP) or PDF files of at most 10 MB each. "
            "We remove location and camera data from photos."
        ),
    )
    contact_preference = forms.ChoiceField(
        label=_("May we contact you?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        # A phone keypad; no autofill, which would keep the number on a device someone else may check.
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"max_length": PHONE_INVALID},
    )
    reporter_email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter an e-mail address such as name@example.nl.")},
    )
    contact_safety_note = forms.CharField(
        label=_("When and how is it safe to contact you?"),
        max_length=500,
        required=False,
        help_text=_("For example: only after 6 pm, do not leave a voicemail."),
    )
    email_notice = forms.TypedChoiceField(
        label=_("May we send you a short e-mail when we have answered you?"),
        help_text=_(
            "Only if someone else cannot read your e-mail. The e-mail says only that there is a message; never what "
            "it says, and never your receipt code."
        ),
        choices=[("no", _("No")), ("yes", _("Yes, that is safe"))],
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
        required=False,
        empty_value=False,  # type: ignore[arg-type]  # a boolean field: no answer is no
    )
    consent_share_identity = forms.ChoiceField(
        label=_("May we tell partner organisations (such as the police) who you are?"),
        choices=[(YesNoUnknown.NO, _("No, keep my details at the centre")), (YesNoUnknown.YES, _("Yes"))],
        initial=YesNoUnknown.NO,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reporter_role"].error_messages["required"] = _("Choose who you are, or 'I would rather not say'.")
        self.fields["description"].error_messages["required"] = _("Tell us what happened.")
        self.fields["acute_danger"].error_messages["required"] = _("Answer whether someone is in danger right now.")
        self.clean_files: list[CleanFile] = []

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"])
        if not receipts.submission_token_valid(token):
            # Only a token this server made is taken: a chosen one could be another report's, or fix a receipt code.
            # The form comes back with a new one and everything typed, so sending it again works.
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict: both copy, mutable
            data["token"] = receipts.new_submission_token()
            self.data = data
            self.add_error(None, TOKEN_INVALID)
        return token

    def clean_reporter_phone(self) -> str:
        """A number the centre can call: checked as the linking of reports checks one (phonenumbers), with one
        message that says how to write it. Typed before choosing to stay anonymous, it is dropped unread."""
        number = self.cleaned_data["reporter_phone"].strip()
        anonymous = self.cleaned_data.get("contact_preference") == ContactPreference.ANONYMOUS
        if number and not anonymous and not normalise(IdentifierKind.PHONE, number).valid:
            raise ValidationError(PHONE_INVALID, code="invalid")
        return number

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data["attachments"]
        if len(uploads) > settings.ATTACHMENT_MAX_COUNT:
            raise ValidationError(_("You can send at most %(n)d files.") % {"n": settings.ATTACHMENT_MAX_COUNT})
        # After an error the page asks for the files again (form_errors.html): a browser never keeps them.
        self.clean_files = clean_uploads(uploads, settings.ATTACHMENT_MAX_BYTES)
        return uploads

    def clean_signal_codes(self) -> list[str]:
        from kenniscentrum.indicators.models import active_indicator_codes

        codes = list(dict.fromkeys(self.cleaned_data["signal_codes"].split()))
        if set(codes) - set(active_indicator_codes(codes)):
            raise ValidationError(_("The answers from the signals check could not be read. Do the check again."))
        return codes

    def submit(self, persons: forms.BaseFormSet, details: forms.BaseFormSet | None = None, **extra: Any) -> Submission:
        """Stores the valid report through `report_submit` (once per form token); `extra` names the channel."""
        data = self.cleaned_data
        return report_submit(
            data=data,
            forms=data["suspected_forms"],
            persons=[p for p in persons.cleaned_data if p],
            details=details_given(details),
            files=self.clean_files,
            signals=data.get("signal_codes") or [],
            token=data["token"],
            language=self.reporter_language(),
            **extra,
        )

    def reporter_language(self) -> str:
        """The language the reporter is answered in: on the public form, the one they read the form in."""
        return get_language() or settings.LANGUAGE_CODE

    def clean(self) -> dict[str, Any]:
        super().clean()
        return contact_clean(self)


def _missing(form: forms.Form, name: str) -> bool:
    """Left empty. A number or address that was typed but refused is not also "missing": one message a field."""
    return not form.cleaned_data.get(name) and name not in form.errors


def contact_clean(form: forms.Form) -> dict[str, Any]:
    """The way back to the visitor: the number or address the chosen way needs, and nothing of it kept when they
    chose to stay anonymous (the report form and the question form alike)."""
    data = form.cleaned_data
    preference = data.get("contact_preference")
    if preference == ContactPreference.PHONE and _missing(form, "reporter_phone"):
        form.add_error("reporter_phone", _("Enter a phone number, or choose another way of contact."))
    if preference == ContactPreference.EMAIL and _missing(form, "reporter_email"):
        form.add_error("reporter_email", _("Enter an e-mail address, or choose another way of contact."))
    if preference == ContactPreference.ANONYMOUS:
        # Anonymous means anonymous: contact details typed before switching are not kept.
        for field in ("reporter_name", "reporter_phone", "reporter_email", "contact_safety_note"):
            data[field] = ""
        data["consent_share_identity"] = YesNoUnknown.NO
    if preference != ContactPreference.EMAIL:
        # A notice goes only to someone who chose e-mail as the way to reach them.
        data["email_notice"] = False
    return data


class VisitorQuestionForm(PublicMessages, forms.Form):
    """A question to the centre without reporting: only the question is required. It is stored as a report of the
    kind `question` (report_submit), so it has a receipt code, a thread and a place in the queue like a report."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    description = forms.CharField(
        label=_("What would you like to ask?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("You do not have to give names or say what happened. At most 10,000 characters."),
        error_messages={"required": _("Write your question.")},
    )
    reporter_role = forms.ChoiceField(
        label=_("Who are you?"), choices=ReporterRole.choices, widget=forms.RadioSelect, required=False
    )
    # The same fields, and the same rule, as the report form's way back to the visitor.
    contact_preference = ReportForm.base_fields["contact_preference"]
    reporter_phone = ReportForm.base_fields["reporter_phone"]
    reporter_email = ReportForm.base_fields["reporter_email"]
    email_notice = ReportForm.base_fields["email_notice"]

    clean_token = ReportForm.clean_token
    # A number nobody can call would leave the visitor waiting for a call that cannot come.
    clean_reporter_phone = ReportForm.clean_reporter_phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        return contact_clean(self)

    def submit(self) -> Submission:
        """Stores the valid question through `report_submit`: once per form token, like a report."""
        data = {**self.cleaned_data, "kind": ReportKind.QUESTION}
        data["reporter_role"] = data.get("reporter_role") or ReporterRole.UNKNOWN
        return report_submit(
            data=data,
            forms=[],
            persons=[],
            files=[],
            token=data["token"],
            language=get_language() or settings.LANGUAGE_CODE,
        )


class IntakeForm(ReportForm):
    """Staff enter a report received by phone, e-mail, walk-in or from a partner."""

    channel = forms.ChoiceField(
        label=_("Received through"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )
    received_at = DateTimeField(
        label=_("Received at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={"invalid": _("Enter a date and time, for example 2026-03-01 14:30.")},
    )
    partner_organisation = ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.partners(),
        required=False,
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )

    # Asked, never taken from the worker's own screen: standard replies go out in this language.
    language = forms.ChoiceField(choices=[("", "–"), *settings.LANGUAGES])

    field_order = ["token", "channel", "received_at", "partner_organisation", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The public form speaks to the reporter; here a worker writes down what a reporter told them.
        staff_wording.intake_form_relabel(self)

    def reporter_language(self) -> str:
        return str(self.cleaned_data["language"])

    def clean_received_at(self) -> Any:
        received = self.cleaned_data["received_at"]
        if received > timezone.now() + timedelta(minutes=5):
            raise ValidationError(_("The moment of receipt cannot be in the future."))
        return received

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("channel") == Channel.PARTNER and not data.get("partner_organisation"):
            self.add_error("partner_organisation", _("Choose the organisation that passed the report on."))
        return data


class ReceiptForm(PublicMessages, forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("The code you got when you sent your report, for example 7KQ2-M9XD-4HRT."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Enter your receipt code.")},
    )
    # A message the reporter wrote when their session had ended: carried through the code step, not lost.
    reply = forms.CharField(widget=forms.HiddenInput, max_length=MESSAGE_MAX, required=False)

    def clean_code(self) -> str:
        """A code that cannot be one is answered here: it is not looked up and not counted as a guess."""
        code = receipts.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _("A receipt code has 12 letters and digits, for example 7KQ2-M9XD-4HRT. Check what you typed.")
            )
        return code


class MessageForm(PublicMessages, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write a message before sending.")},
    )


class FilesForm(forms.Form):
    """Photos or PDFs a reporter adds to their report later, through the receipt code: the report form's checks and
    limits per send (reports/services.py adds the limit of the report as a whole)."""

    # Not required for Django, so that an empty send gets our own message; not optional for the reporter.
    show_optional = False
    attachments = MultipleFileField(label=_("Photos or documents"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Up to %(count)d photos (JPEG, PNG, WebP) or PDF files at a time, of at most %(mb)d MB each. "
            "We remove location and camera data from photos."
        ) % {"count": settings.ATTACHMENT_MAX_COUNT, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        self.clean_files: list[CleanFile] = []

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data["attachments"]
        if not uploads:
            raise ValidationError(_("Choose one or more files to add."))
        if len(uploads) > settings.ATTACHMENT_MAX_COUNT:
            raise ValidationError(_("You can send at most %(n)d files.") % {"n": settings.ATTACHMENT_MAX_COUNT})
        self.clean_files = clean_uploads(uploads, settings.ATTACHMENT_MAX_BYTES)
        return uploads


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the reporter"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The reporter reads this with the receipt code. Write plainly; assume someone else may read along."
        ),
    )
    interpreter_used = forms.BooleanField(label=INTERPRETER_USED, required=False)


def report_handlers() -> Any:
    """The centre's users who may handle reports: the people a report can be assigned to."""
    roles = UserRole.objects.filter(user=OuterRef("pk"), role__in=REPORT_ROLES)
    return User.objects.filter(is_active=True, organisation__type="knowledge_centre").filter(Exists(roles))


class AssignForm(forms.Form):
    assignee = ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        error_messages={"invalid_choice": _("Choose a colleague from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = report_handlers()  # type: ignore[attr-defined]


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class ClassifyForm(forms.Form):
    suspected_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=exploitation_forms,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = municipality_field()
    residence_municipality = municipality_field(residence=True)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class FeedbackForm(forms.Form):
    feedback_method = forms.ChoiceField(label=_("How did the reporter hear back?"), choices=FeedbackMethod.choices)
    feedback_note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    interpreter_used = forms.BooleanField(label=INTERPRETER_USED, required=False)


class CloseForm(forms.Form):
    """Closing a report: the decision's reason and the feedback to the reporter, in one step."""

    reason = forms.CharField(
        label=_("Decision and reason (internal)"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feedback_method = forms.ChoiceField(label=_("How does the reporter hear back?"), choices=FeedbackMethod.choices)
    feedback_note = forms.CharField(label=_("Feedback note"), max_length=2000, required=False)
    message_to_reporter = forms.CharField(
        label=_("Message to the reporter (read with the receipt code)"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, recorded: str = "", **kwargs: Any) -> None:
        """`recorded`: the feedback to the reporter recorded already (a FeedbackMethod value), or empty."""
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Write down the decision and its reason.")
        method = self.fields["feedback_method"]
        # The empty first choice says what is true: the feedback recorded already, or nothing chosen yet (closing
        # needs it then, so it is asked for here rather than refused after).
        if recorded:
            already = _("As recorded: %(method)s") % {"method": FeedbackMethod(recorded).label}
            method.choices = [("", already), *FeedbackMethod.choices]  # type: ignore[attr-defined]
            method.required = False
        else:
            method.choices = [("", _("Choose how the reporter hears back")), *FeedbackMethod.choices]  # type: ignore[attr-defined]
            method.error_messages["required"] = _("Choose how the reporter hears back: closing needs it.")

    interpreter_used = forms.BooleanField(label=INTERPRETER_USED, required=False)


class ForwardForm(CloseForm):
    forwarded_to = ModelChoiceField(
        label=_("Forward to"),
        queryset=Organisation.objects.partners(),
        error_messages={
            "required": _("Choose the organisation the report goes to."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )
    field_order = ["forwarded_to"]


class StandardReplyForm(forms.Form):
    """Which standard text to start a message to the reporter from (a GET form on the report page)."""

    standaard = ModelChoiceField(label=STANDARD_REPLY_LABEL, queryset=StandardReply.objects.filter(active=True))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write down the reason.")},
    )


class SignalsForm(forms.Form):
    """The catalogue signals observed in a report: any active indicator, by code."""

    signals = forms.MultipleChoiceField(
        label=_("Signals"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose signals from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kenniscentrum.indicators.models import active_indicator_codes

        super().__init__(*args, **kwargs)
        self.fields["signals"].choices = [(code, code) for code in active_indicator_codes()]  # type: ignore[attr-defined]
