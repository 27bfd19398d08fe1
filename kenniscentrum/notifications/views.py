from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.access import case_worker_required
from kenniscentrum.lib.vocabulary import TaskStatus

from .forms import URGENT_NOTE, PreferencesForm
from .models import Mode, Preference
from .work import my_work


def preferences(request: HttpRequest) -> HttpResponse:
    """Every staff and partner user chooses per kind of notification: at once, in a daily summary, or off."""
    user = request.user
    assert isinstance(user, User)
    current = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        # Only the choices that changed are stored: without a row a kind comes at once.
        for kind, mode in form.cleaned_data.items():
            if mode != current.get(kind, Mode.AT_ONCE):
                Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
        audit_record(action=Action.NOTIFICATION_CHOICES, actor=user, obj=user, notifications=form.cleaned_data)
        messages.success(request, _("Your choices for notifications are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "urgent_note": URGENT_NOTE, "email": user.email},
        status=400 if request.method == "POST" else 200,
    )


@case_worker_required
def work(request: HttpRequest) -> HttpResponse:
    """The start page after login for those who work on reports and cases: what waits for me, each list through its
    objects' own visibility rule, with counts and links (notifications/work.py)."""
    user = request.user
    assert isinstance(user, User)
    return render(request, "notifications/my_work.html", {**my_work(user), "task_statuses": TaskStatus.choices})
