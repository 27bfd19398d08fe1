from dataclasses import dataclass
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.decorators import post_only, public
from kenniscentrum.lib.sessions import session_keep, session_kept, session_started

from .forms import EnrolmentCodeForm, LoginForm, TokenForm
from .models import Authenticator, Role, User
from .services import (
    enrolment_code_use,
    login_check_password,
    login_check_token,
    totp_device_for_enrolment,
    totp_secret,
)
from .unsent import ENDED_KEY, UNSENT_KEY, page_of

PENDING_USER = "pending_user_id"
PENDING_SINCE = "pending_since"
PENDING_NEXT = "pending_next"
# Set while the username is under attack: the code step then must not tell which factor was wrong.
PENDING_BLIND = "pending_blind"
# The user who gave a valid enrolment code in this session and may now link an authenticator.
ENROLMENT_ALLOWED = "enrolment_allowed_user_id"
# The password step is valid this long; after that the person starts again.
PENDING_SECONDS = 5 * 60


@dataclass(frozen=True)
class Pending:
    user: User | None  # None when the password was wrong while the username is under attack
    blind: bool


def _pending(request: HttpRequest) -> Pending | None:
    """The login begun in this session with a password, while it is fresh."""
    since = request.session.get(PENDING_SINCE, 0)
    if PENDING_USER not in request.session or timezone.now().timestamp() - since > PENDING_SECONDS:
        return None
    user_id = request.session[PENDING_USER]
    user = User.objects.select_related("organisation").filter(pk=user_id).first() if user_id else None
    return Pending(user if user is not None and user.may_act else None, bool(request.session.get(PENDING_BLIND)))


def _pending_end(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_SINCE, PENDING_BLIND, ENROLMENT_ALLOWED):
        request.session.pop(key, None)


def _finish_login(request: HttpRequest, user: User, device: Authenticator) -> HttpResponse:
    next_url = session_kept(request.session, PENDING_NEXT) or ""
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    otp_login(request, device)
    session_started(request)
    audit_record(action=Action.LOGIN, actor=user, obj=user)
    request.session.pop(ENDED_KEY, None)
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        # An address that only takes a form would answer 405: go to the page the form is on.
        path, _sep, query = next_url.partition("?")
        page = page_of(path)
        return redirect(next_url if page == path else page)
    return redirect(start_page(user))


def start_page(user: User) -> str:
    """Where a user's work starts: what waits for them on reports and cases, data requests, the monitor or the
    administration."""
    if user.handles_reports_and_cases or user.has_role(Role.CASE_COORDINATOR, Role.PARTNER):
        return "notifications:work"
    if user.answers_data_requests:
        return "upkeep:requests"
    if user.sees_monitor:
        return "insights:dashboard"
    if user.has_role(Role.FUNCTIONAL_ADMIN):
        return "functional_admin:index"
    return "knowledge:home"


@public
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = login_check_password(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if outcome.reveal and outcome.user is None:
            form.add_error(None, _("The username or password is not right."))
        else:
            # Under attack (reveal is False) every attempt goes on to the code step, right password or not.
            request.session.cycle_key()
            request.session[PENDING_USER] = outcome.user.pk if outcome.user else None
            request.session[PENDING_BLIND] = not outcome.reveal
            request.session[PENDING_SINCE] = timezone.now().timestamp()
            # The address can hold what was searched for (a name): kept encrypted (lib/sessions.py).
            session_keep(request.session, PENDING_NEXT, request.GET.get("next", ""))
            if outcome.reveal and not Authenticator.objects.filter(user=outcome.user, confirmed=True).exists():
                return redirect("accounts:enrol")
            return redirect("accounts:verify")
    # Why the login page is shown, when a session ended under the worker's hands (accounts/unsent.py).
    ended = request.method == "GET" and request.session.get(ENDED_KEY, False)
    kept = bool(request.session.get(UNSENT_KEY))
    context = {
        "form": form,
        "session_ended": ended,
        "form_kept": kept,
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
    return render(request, "accounts/login.html", context)


@public
def verify_view(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:login")
    user = pending.user
    device = Authenticator.objects.filter(user=user, confirmed=True).first() if user else None
    if device is None and not pending.blind:
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user is not None and device is not None:
            if login_check_token(user=user, device=device, token=form.cleaned_data["token"]):
                return _finish_login(request, user, device)
        if pending.blind:
            # Which of the two was wrong stays unsaid; each try starts again with the password.
            _pending_end(request)
            messages.error(request, _("The password or the code was not right. Log in again."))
            return redirect("accounts:login")
        form.add_error("token", _("This code is not right or has expired. Enter the code now shown in your app."))
    return render(request, "accounts/verify.html", {"form": form})


@public
def enrol_view(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None or pending.user is None or pending.blind:
        return redirect("accounts:login")
    user = pending.user
    if Authenticator.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:verify")
    if request.session.get(ENROLMENT_ALLOWED) != user.pk:
        code_form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and code_form.is_valid():
            if enrolment_code_use(user=user, raw=code_form.cleaned_data["code"]):
                request.session[ENROLMENT_ALLOWED] = user.pk
                return redirect("accounts:enrol")
            code_form.add_error(
                "code",
                _(
                    "This enrolment code is not right, was used already or has expired. Ask a functional "
                    "administrator for a new one."
                ),
            )
        return render(request, "accounts/enrol_code.html", {"form": code_form})
    device = totp_device_for_enrolment(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if login_check_token(user=user, device=device, token=form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(action=Action.OTP_ENROLLED, actor=user, obj=user)
            return _finish_login(request, user, device)
        form.add_error("token", _("This code is not right. Check that the app shows the account you just added."))
    return render(request, "accounts/enrol.html", {"form": form, "secret": totp_secret(device)})


@public
def enrol_qr_view(request: HttpRequest) -> HttpResponse:
    """The enrolment QR code as SVG, drawn by the app itself: the secret never goes to a third party."""
    pending = _pending(request)
    user = pending.user if pending else None
    allowed = user is not None and request.session.get(ENROLMENT_ALLOWED) == user.pk
    device = Authenticator.objects.filter(user=user, confirmed=False).first() if allowed else None
    if device is None:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@public
def logout_view(request: HttpRequest) -> HttpResponse:
    """Logs out on a form post; the address typed in a browser shows a page with the button (a link or a
    prefetch must not end a session)."""
    if request.method != "POST":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return render(request, "accounts/logout.html")
    if request.user.is_authenticated:
        audit_record(action=Action.LOGOUT, actor=request.user, obj=request.user)
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@post_only
def session_extend(request: HttpRequest) -> HttpResponse:
    """Keeps a staff session going (the warning before it ends, js/session.js): the request itself renews it."""
    return HttpResponse(status=204)
