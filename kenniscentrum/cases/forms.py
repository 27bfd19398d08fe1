from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms import ChoiceField, RadioSelect, Select
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.lib.forms import MAX_ID, DateField, DateInput, DatesKept, ModelChoiceField
from kenniscentrum.lib.region import iso_codes
from kenniscentrum.lib.vocabulary import (
    Border,
    ExploitationForm,
    InvolvementRole,
    LabourSector,
    LegalBasis,
    ReferralStatus,
    RiskLevel,
    TaskStatus,
    VictimStatus,
    exploitation_forms,
)
from kenniscentrum.organisations.models import CENTRE_MEMBERS, Covenant, Municipality, Organisation

from .handover import trajectory_here
from .models import (
    PERSON_FIELDS,
    Case,
    ComenshaRegistrationKind,
    Cooperation,
    DecidingBody,
    Goal,
    HandoverPart,
    Involvement,
    MethodOfControl,
    Person,
    PracticalSupport,
    ReflectionAnswer,
    ReflectionRoute,
    Relation,
    RoleInProcess,
    SafetyFlagKind,
    ShelterKind,
    ShelterPlacement,
    TrajectoryPart,
    Visibility,
)

CHOOSE = _("Choose from the list.")


def users_with(*roles: str) -> Any:
    return User.objects.filter(is_active=True, roles__role__in=roles).distinct().order_by("first_name", "username")


def covenant_field() -> ModelChoiceField:
    """The covenant a grant or referral rests on; left empty, the one in force the organisation is a party to."""
    return ModelChoiceField(
        label=_("Covenant"),
        queryset=Covenant.objects.none(),
        required=False,
        empty_label=_("The covenant the organisation is a party to"),
        help_text=_("Sharing rests on a covenant in the register; its rules on consent and legal basis apply."),
    )


def partner_organisations() -> Any:
    return Organisation.objects.partners().order_by("name")


def task_holders(case: Case | None, present: Any = ()) -> tuple[Any, Any]:
    """Who can hold a task of `case`: the centre's intake workers, case directors and coordinators, the case's
    coordinator, the partner users with access to the case; and the partner organisations with access, with an
    accepted referral, or `present` at the meeting that decides the task (finding 9). An organisation without access
    gets the task alone, not the case (TaskQuerySet.visible_to). Not a functional admin or an analyst."""
    centre_roles = [Role.INTAKE, Role.CASE_DIRECTOR, Role.CASE_COORDINATOR]
    people = CENTRE_MEMBERS & Q(roles__role__in=centre_roles)
    organisations = Organisation.objects.none()
    if case is not None:
        granted = case.grants.active().values("organisation_id")
        people |= Q(pk=case.coordinator_user_id or 0) | Q(roles__role=Role.PARTNER, organisation_id__in=granted)
        accepted = Q(referrals__case=case, referrals__status=ReferralStatus.ACCEPTED)
        at_meeting = Q(pk__in=[organisation.pk for organisation in present])
        organisations = (
            Organisation.objects.partners()
            .filter(Q(pk__in=granted) | accepted | at_meeting)
            .distinct()
            .order_by("name")
        )
    users = (
        User.objects.filter(is_active=True)
        .filter(people)
        # A partner's system (an API client's account) is not a person to give a task to; its organisation is.
        .filter(api_client__isnull=True)
        .select_related("organisation")
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return users, organisations


def staff_forms() -> list[tuple[str, str]]:
    """A case names the forms it is about; "not sure" is for reporters."""
    return exploitation_forms(unsure=False)


class UserChoiceField(ModelChoiceField):
    """A person by name, with their organisation, so two people with one name can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.organisation})" if obj.organisation else obj.display_name


def iso_names(countries: bool) -> dict[str, str]:
    """The ISO codes the platform knows (lib/data/iso_codes.json) with their names in the reader's language."""
    from babel import Locale

    locale = Locale.parse(get_language() or settings.LANGUAGE_CODE)
    names = locale.territories if countries else locale.languages
    return {
        code: str(names.get(code if countries else code.lower(), code)) for code in sorted(iso_codes()[KIND[countries]])
    }


KIND = {True: "countries", False: "languages"}


def iso_code_of(text: str, countries: bool) -> str | None:
    """The code of a country or language typed by its name in Dutch or English, or as its code ("Polen", "Poland",
    "PL"); None when it is neither."""
    from babel import Locale

    wanted = text.strip().casefold()
    known = iso_codes()[KIND[countries]]
    code = wanted.upper() if countries else wanted
    if code in known:
        return code
    for language in (get_language() or settings.LANGUAGE_CODE, "nl", "en"):
        locale = Locale.parse(language)
        names = locale.territories if countries else locale.languages
        for found, name in names.items():
            if str(name).casefold() == wanted and (found.upper() if countries else found) in known:
                return found.upper() if countries else found
    return None


class CodesField(forms.CharField):
    """Countries (ISO 3166) or languages (ISO 639) by their names, separated by commas: "Polen, Roemenië". A code
    is taken too; the field shows the names in the reader's language, and suggests them (a datalist, no script)."""

    def __init__(self, *, countries: bool, **kwargs: Any) -> None:
        self.countries = countries
        super().__init__(max_length=500, required=False, **kwargs)
        self.widget.attrs["list"] = f"names-{KIND[countries]}"

    def prepare_value(self, value: Any) -> Any:
        # A stored list of codes, or one stored code (a person's country), is shown by its names.
        codes: list[str] | None = None
        if isinstance(value, str) and value in iso_codes()[KIND[self.countries]]:
            codes = [value]
        elif isinstance(value, list):
            codes = [str(code) for code in value]
        if codes is None:
            return value
        names = iso_names(self.countries)
        return ", ".join(names.get(code) or code for code in codes)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        typed = [part.strip() for part in text.split(",") if part.strip()]
        found = [iso_code_of(part, self.countries) for part in typed]
        unknown = [part for part, code in zip(typed, found, strict=True) if code is None]
        if unknown:
            message = (
                _("Not a country we know: %(names)s. Choose a name from the list; separate several with commas.")
                if self.countries
                else _("Not a language we know: %(names)s. Choose a name from the list; separate several with commas.")
            )
            raise forms.ValidationError(message % {"names": ", ".join(unknown)})
        return list(dict.fromkeys(code for code in found if code is not None))


class OpenCaseForm(forms.Form):
    title = forms.CharField(
        label=_("Working title of the new case"),
        max_length=200,
        help_text=_("A short description without names, e.g. 'Workers in a shed'."),
    )


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by case or report reference, person or place"), max_length=100, required=False)


class CaseUpdateForm(forms.Form):
    title = forms.CharField(label=_("Working title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    director = ModelChoiceField(label=_("Case director"), queryset=User.objects.none(), required=False)
    coordinator_user = ModelChoiceField(
        label=_("Case coordinator (person)"), queryset=User.objects.none(), required=False
    )
    coordinator_organisation = ModelChoiceField(
        label=_("Case coordinator (organisation)"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The organisation gets access to the case for coordination."),
    )
    municipality = ModelChoiceField(
        label=_("Municipality where it happens"), queryset=Municipality.objects.order_by("name"), required=False
    )
    residence_municipality = ModelChoiceField(
        label=_("Municipality where the possible victim lives"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
    )
    forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=staff_forms,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Asked with labour exploitation: the page hides the question while that form is not ticked (site.css, by
    # `data-asked-with`), and shows it where the browser cannot. Whatever is sent is stored as given.
    # (`forms` above is the field, so the classes are named directly.)
    labour_sector = ChoiceField(
        label=_("Sector of the labour exploitation"),
        choices=[("", _("Not known")), *LabourSector.choices],
        required=False,
        help_text=_("Where the work was done, in the sections of HTCDS 2.0 (ISIC). Only for labour exploitation."),
        error_messages={"invalid_choice": CHOOSE},
        widget=Select(attrs={"data-asked-with": ExploitationForm.LABOUR.value}),
    )
    border = ChoiceField(
        label=_("Within the Netherlands or across a border"),
        choices=[*Border.choices, ("", _("Not known"))],
        required=False,
        help_text=_(
            "Within the Netherlands: the person was recruited and exploited in the Netherlands. Across a border: "
            "recruited in one country and exploited in another, or brought across a border to be exploited."
        ),
        error_messages={"invalid_choice": CHOOSE},
        widget=RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = users_with(Role.CASE_DIRECTOR).filter(  # type: ignore[attr-defined]
            CENTRE_MEMBERS
        )
        self.fields["coordinator_user"].queryset = users_with(Role.CASE_COORDINATOR)  # type: ignore[attr-defined]
        self.fields["coordinator_organisation"].queryset = partner_organisations()  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    text = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A step that keeps its text in the case names it (the evaluation, the reason for closing) and needs it.
        if label:
            self.fields["text"].label = label
            self.fields["text"].required = True
            self.fields["text"].error_messages["required"] = _("Write this down to take the step.")


CLOSING_REASON = _("Reason for closing")


class CloseForm(TransitionForm):
    """Closing a case, with what is still open listed, to be ended in the same step (ticked by default). Approving
    another director's request to close asks no reason of its own (label None)."""

    def __init__(self, *args: Any, case: Case, label: Any = CLOSING_REASON, **kwargs: Any) -> None:
        super().__init__(*args, label=label, **kwargs)
        tasks = [t.title for t in case.tasks.filter(status=TaskStatus.OPEN)]
        if tasks:
            self.fields["cancel_tasks"] = forms.BooleanField(
                label=ngettext(
                    "Cancel the %(count)d open task: %(names)s",
                    "Cancel the %(count)d open tasks: %(names)s",
                    len(tasks),
                )
                % {"count": len(tasks), "names": ", ".join(tasks)},
                required=False,
                initial=True,
            )
        grants = [str(g.organisation) for g in case.grants.active().select_related("organisation")]
        if grants:
            self.fields["end_grants"] = forms.BooleanField(
                label=_("End the access of: %(names)s") % {"names": ", ".join(grants)}, required=False, initial=True
            )
        # A placement still running would read as "now" on a closed case: closing asks to end it on this day.
        placements = ShelterPlacement.objects.filter(involvement__case=case, left_on=None).select_related(
            "involvement__person"
        )
        if placements:
            self.fields["end_placements"] = forms.BooleanField(
                label=_("End the shelter placements still running, of: %(names)s")
                % {"names": ", ".join(str(p.involvement.person) for p in placements)},
                required=False,
                initial=True,
            )
        # Referrals are the referrals app's: the case asks its related rows which are still running.
        running = [str(r.organisation) for r in case.referrals.running().select_related("organisation")]
        if running:
            self.fields["withdraw_referrals"] = forms.BooleanField(
                label=_("Withdraw the referrals still running, to: %(names)s") % {"names": ", ".join(running)},
                required=False,
                initial=True,
            )


class AssessmentForm(forms.Form):
    act_note = forms.CharField(
        label=_("Act: what was done (recruiting, transporting, housing)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    means_note = forms.CharField(
        label=_("Means: how (coercion, deception, abuse of vulnerability)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For a minor no means is needed."),
    )
    purpose_note = forms.CharField(
        label=_("Purpose: the exploitation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    methods_of_control = forms.MultipleChoiceField(
        label=_("Methods of control"),
        choices=MethodOfControl.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class RiskForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    factors = forms.CharField(label=_("Risk factors"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    assessed_on = DateField(label=_("Assessed on"), help_text=_("For example 2026-03-01."))


class PersonForm(DatesKept, forms.ModelForm):
    nationalities = CodesField(
        countries=True, label=_("Nationalities"), help_text=_("Countries by name, separated by commas.")
    )
    languages = CodesField(countries=False, label=_("Languages"), help_text=_("By name, separated by commas."))
    country = CodesField(countries=True, label=_("Country"))

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"birthdate": DateInput()}

    def clean_country(self) -> str:
        countries = self.cleaned_data["country"]
        if len(countries) > 1:
            raise forms.ValidationError(_("Give one country."))
        return countries[0] if countries else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("first_name", "last_name", "aliases")):
            raise forms.ValidationError(_("Give a name, an alias or a description."))
        return data


class InvolvementForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the case"), choices=InvolvementRole.choices)
    relation = forms.ChoiceField(
        label=_("Relation (other involved)"), choices=[("", "–"), *Relation.choices], required=False
    )
    roles_in_process = forms.MultipleChoiceField(
        label=_("Part in the exploitation (for a possible perpetrator)"),
        choices=RoleInProcess.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    age_at_start = forms.IntegerField(
        label=_("Age when the exploitation started (possible victim)"), min_value=0, max_value=120, required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExistingPersonForm(InvolvementForm):
    person = ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, *args: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class VictimStatusForm(forms.Form):
    involvement = ModelChoiceField(label=_("Person"), queryset=Involvement.objects.none())
    status = forms.ChoiceField(label=_("Victim status"), choices=VictimStatus.choices)
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=DecidingBody.choices)
    deciding_organisation = ModelChoiceField(
        label=_("Deciding organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = case.involvements.filter(  # type: ignore[attr-defined]
            role=InvolvementRole.VICTIM
        ).select_related("person")


class ComenshaForm(forms.Form):
    involvement = ModelChoiceField(label=_("Possible victim"), queryset=Involvement.objects.none())
    kind = forms.ChoiceField(label=_("Kind of registration"), choices=ComenshaRegistrationKind.choices)
    registered_on = DateField(label=_("Registered on"), help_text=_("For example 2026-03-01."))
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=LegalBasis.choices,
        help_text=_("Registering does not always need consent; name the ground it rests on."),
    )
    comensha_reference = forms.CharField(label=_("CoMensha's reference"), max_length=50, required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Possible victims not registered yet.
        self.fields["involvement"].queryset = (  # type: ignore[attr-defined]
            trajectory_here(case).filter(comensha=None).select_related("person")
        )


class ReflectionFields(forms.Form):
    """What a reflection period records (sources.md §2.4)."""

    route = forms.ChoiceField(label=_("Route"), choices=ReflectionRoute.choices)
    offered_on = DateField(label=_("Offered on"))
    offered_by = ModelChoiceField(label=_("Offered by"), queryset=Organisation.objects.order_by("name"), required=False)
    answer = forms.ChoiceField(label=_("Answer"), choices=ReflectionAnswer.choices)
    starts_on = DateField(label=_("Starts on"), required=False)
    ends_on = DateField(label=_("Ends on"), required=False, help_text=_("At most three months after the start."))
    cooperation = forms.ChoiceField(label=_("Report to the police or cooperation"), choices=Cooperation.choices,
                                    required=False)  # fmt: skip
    cooperation_on = DateField(label=_("Since"), required=False)
    permit_applied_on = DateField(label=_("Residence permit applied for on"), required=False)
    permit_status = forms.CharField(label=_("Permit status"), max_length=200, required=False)


class ReflectionForm(ReflectionFields):
    """A reflection period recorded for a possible victim who has none yet."""

    involvement = ModelChoiceField(label=_("Possible victim"), queryset=Involvement.objects.none())
    field_order = ["involvement"]

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = (  # type: ignore[attr-defined]
            trajectory_here(case).filter(reflection=None).select_related("person")
        )


class ReflectionChangeForm(DatesKept, ReflectionFields):
    """One possible victim's recorded reflection period, shown as it is recorded: what is sent unchanged stays."""

    involvement = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


class ShelterForm(forms.Form):
    involvement = ModelChoiceField(label=_("Possible victim"), queryset=Involvement.objects.none())
    kind = forms.ChoiceField(label=_("Kind of shelter"), choices=ShelterKind.choices)
    organisation = ModelChoiceField(
        label=_("Shelter organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    placed_on = DateField(label=_("Placed on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = trajectory_here(case).select_related(  # type: ignore[attr-defined]
            "person"
        )


class ShelterEndForm(forms.Form):
    placement = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    left_on = DateField(label=_("Left on"))


class SafetyFlagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Safety point"), choices=SafetyFlagKind.choices)
    involvement = ModelChoiceField(
        label=_("About"), queryset=Involvement.objects.none(), required=False, empty_label=_("The whole case")
    )
    language = CodesField(
        countries=False, label=_("Language (for an interpreter)"), help_text=_("An ISO 639 code, e.g. pl, ro, bg.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = case.involvements.select_related("person")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        languages = data.get("language") or []
        if len(languages) > 1:
            self.add_error("language", _("Give one language."))
        if data.get("kind") == SafetyFlagKind.INTERPRETER and not languages:
            self.add_error("language", _("Say which language the interpreter speaks."))
        data["language"] = languages[0] if len(languages) == 1 else ""
        return data


class SafetyFlagEndForm(forms.Form):
    flag = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=300)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    goal = ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    owner_user = UserChoiceField(label=_("Owner (person)"), queryset=User.objects.none(), required=False)
    owner_organisation = ModelChoiceField(
        label=_("Owner (organisation)"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "An organisation without access to the case sees only this task: what it asks, its due date and the "
            "case's reference."
        ),
    )
    due_date = DateField(label=_("Due"), required=False)
    support = forms.ChoiceField(
        label=_("Practical support it arranges"),
        choices=[("", _("None: another kind of task")), *PracticalSupport.choices],
        required=False,
    )

    def __init__(self, *args: Any, case: Any = None, present: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["goal"].queryset = case.goals.all()  # type: ignore[attr-defined]
        else:
            del self.fields["goal"]
        users, organisations = task_holders(case, present)
        self.fields["owner_user"].queryset = users  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("owner_user")) == bool(data.get("owner_organisation")):
            raise forms.ValidationError(_("Choose either a person or an organisation as the owner."))
        return data


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Visibility.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, internal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not internal:
            self.fields["visibility"].choices = [  # type: ignore[attr-defined]
                c for c in Visibility.choices if c[0] != Visibility.INTERNAL
            ]


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A photo (JPEG, PNG, WebP) or PDF of at most 10 MB."))
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility.choices[:2], initial=Visibility.INTERNAL, widget=forms.RadioSelect
    )


class GrantForm(forms.Form):
    organisation = ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    covers = forms.MultipleChoiceField(
        label=_("The purpose also covers, of the possible victims' trajectory"),
        choices=TrajectoryPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only what the purpose needs: a shelter its placements, for example. Nothing is the default."),
    )
    covenant = covenant_field()
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    valid_until = DateField(label=_("Until"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations()  # type: ignore[attr-defined]
        self.fields["covenant"].queryset = Covenant.objects.in_force()  # type: ignore[attr-defined]


class GrantEditForm(forms.Form):
    """What of an active grant the centre changes in place: its purpose, what of the trajectory it covers, until
    when (services.grant_update). Filled in with the grant as it is."""

    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    covers = GrantForm.base_fields["covers"]
    valid_until = DateField(label=_("Until"))


def other_centres() -> Any:
    return Organisation.objects.other_centres().order_by("name")


class HandoverFields(forms.Form):
    """What every handover records, sent or received."""

    organisation = ModelChoiceField(
        label=_("Knowledge centre of the other region"),
        queryset=Organisation.objects.none(),
        help_text=_("Another region's centre is an organisation; a functional administrator adds it."),
        error_messages={"required": _("Choose the knowledge centre of another region.")},
    )
    handed_on = DateField(label=_("Date of the handover"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    parts = forms.MultipleChoiceField(
        label=_("What is shared"),
        choices=HandoverPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = other_centres()  # type: ignore[attr-defined]


class HandoverForm(HandoverFields):
    """Handing the case, or one possible victim's trajectory, to another region's centre."""

    involvement = ModelChoiceField(
        label=_("What is handed over"),
        queryset=Involvement.objects.none(),
        required=False,
        empty_label=_("The whole case"),
        help_text=_(
            "The whole case closes here once the other centre accepts it. A trajectory stays in the case, and the "
            "other centre records it from then on."
        ),
    )
    field_order = ["organisation", "involvement", "handed_on", "reason", "legal_basis", "parts"]

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = trajectory_here(case).select_related(  # type: ignore[attr-defined]
            "person"
        )
        self.fields["parts"].help_text = _(
            "The summary that goes with it holds only what the legal basis allows; the rest is refused."
        )


class HandoverReceiveForm(HandoverFields):
    """A case received from another region's centre: it opens here and waits for a case director to accept it."""

    title = forms.CharField(
        label=_("Working title of the new case"),
        max_length=200,
        help_text=_("A short description without names, e.g. 'Workers in a shed'."),
    )
    municipality = ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.filter(active=True), required=False
    )
    received = forms.CharField(
        label=_("What the other centre sent"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("In short, as received; keep the summary itself with the case's documents."),
    )
    field_order = ["organisation", "handed_on", "title", "municipality", "reason", "legal_basis", "parts", "received"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parts"].label = _("What was received")


class HandoverStepForm(forms.Form):
    """An answer to a handover (cases/workflow.py HANDOVER_FLOW): one form per waiting handover and step, each
    with its own ids on the page."""

    handover = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    step = forms.CharField(widget=forms.HiddenInput, max_length=30)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)

    def __init__(self, *args: Any, text_label: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = text_label or _("Note (optional)")


class GrantRevokeForm(forms.Form):
    grant = forms.IntegerField(widget=forms.HiddenInput)
