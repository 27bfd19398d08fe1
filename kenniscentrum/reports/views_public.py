"""The public side: report form, confirmation with receipt code, and anonymous follow-up.

Works without JavaScript. Nothing about the visitor is stored that they did not type.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kenniscentrum.indicators.check import signals_phrased
from kenniscentrum.indicators.models import Audience, Indicator
from kenniscentrum.lib.decorators import post_only, public
from kenniscentrum.lib.language import switching_language, typed_rows, typed_values
from kenniscentrum.lib.sessions import session_keep, session_started, session_take
from kenniscentrum.lib.vocabulary import YesNoUnknown, exploitation_form_codes

from . import receipts
from .forms import (
    MESSAGE_MAX,
    DetailFormSet,
    FilesForm,
    MessageForm,
    PersonFormSet,
    ReceiptForm,
    ReportForm,
    VisitorQuestionForm,
    details_bound,
    details_valid,
)
from .models import Direction, Report
from .sent import report_sent
from .services import ReceiptThrottled, receipt_open, report_reporter_add_files, report_reporter_reply
from .terms import promised_working_days, terms
from .workflow import public_status_text

FOLLOWUP_SESSION_KEY = "receipt_report_id"
# The form tokens this browser session sent: only that session is shown the code again on a double submit.
SUBMITTED_SESSION_KEY = "submitted_reports"
PENDING_REPLY_KEY = "pending_reply"
SUBMITTED_KEEP = 10
# The form this session sent last, so the form page that Back fetches again (without JavaScript, from the network:
# the page is never cached) carries the spent token, and sending it again shows the receipt instead of making a
# second report. Only for a short while: after that, or on "new report", the form is a new one.
LAST_SENT_KEY = "last_sent_form"
LAST_SENT_SECONDS = 30 * 60


def _last_sent(request: HttpRequest) -> dict[str, Any] | None:
    """The token and time of the form this session sent in the last half hour, unless a new form was asked for."""
    last = request.session.get(LAST_SENT_KEY)
    if not last or "nieuw" in request.GET:
        return None
    sent_at = datetime.fromisoformat(last["at"])
    if (timezone.now() - sent_at).total_seconds() > LAST_SENT_SECONDS:
        return None
    return {"token": last["token"], "at": sent_at}


def _from_check(request: HttpRequest) -> ReportForm:
    """A new report form filled in with the answers of the signals check (nothing was stored)."""
    known = exploitation_form_codes()
    forms = [f for f in request.POST.getlist("check_forms") if f in known]
    # Only an answer the visitor gave is carried: "don't know" leaves the danger question open on the form.
    acute = (
        request.POST.get("check_acute")
        if request.POST.get("check_acute") in (YesNoUnknown.YES, YesNoUnknown.NO)
        else None
    )
    # Who you are in the check is who you are in the report: each audience is also a reporter role.
    audience = request.POST.get("check_audience")
    role = audience if audience in Audience.values else None
    return ReportForm(
        initial={
            "token": receipts.new_submission_token(),
            "suspected_forms": forms,
            "acute_danger": acute,
            "reporter_role": role,
            "signal_codes": " ".join(request.POST.getlist("check_signals"))[:2000],
        }
    )


def _check_signals(form: ReportForm) -> list[Indicator]:
    """The signals carried from the check, worded as the check asked them: to you when you were worried about
    yourself, about the other person otherwise (the reporter role is the check's audience)."""
    values = form.data if form.is_bound else form.initial
    role = values.get("reporter_role") or ""
    return signals_phrased(str(values.get("signal_codes", "")).split()[:200], str(role))


# The button that asks for more rows of details: the form comes back as typed, with two empty rows more.
MORE_DETAILS = "more_details"


@public
def report_create(request: HttpRequest) -> HttpResponse:
    last_sent = None
    if switching_language(request) or MORE_DETAILS in request.POST:
        # Another language, or room for more details: the form again with what was typed, nothing sent yet.
        form = ReportForm(initial=typed_values(ReportForm, request.POST))
        persons = PersonFormSet(initial=typed_rows(PersonFormSet, request.POST, "persons"), prefix="persons")
        details = DetailFormSet(initial=typed_rows(DetailFormSet, request.POST, "details", ("kind",)), prefix="details")
    elif request.method == "POST" and request.POST.get("from_check"):
        form = _from_check(request)
        persons = PersonFormSet(prefix="persons")
        details = DetailFormSet(prefix="details")
    elif request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        persons = PersonFormSet(request.POST, prefix="persons")
        details = details_bound(request.POST)
        if form.is_valid() and persons.is_valid() and details_valid(details):
            try:
                submission = form.submit(persons, details)
            except OperationalError:
                # The database refused the write (full, or gone mid-request): nothing was stored. The form comes back
                # with what was typed, and says so; a database that is wholly away gets the 503 page instead.
                return _not_stored(request, form, persons, details)
            return _received(request, submission, form.cleaned_data["token"], "public/report_received.html")
    else:
        last_sent = _last_sent(request)
        token = last_sent["token"] if last_sent else receipts.new_submission_token()
        form = ReportForm(initial={"token": token})
        persons = PersonFormSet(prefix="persons")
        details = DetailFormSet(prefix="details")
    acute = (form.data if form.is_bound else form.initial).get("acute_danger") == YesNoUnknown.YES
    return render(
        request,
        "public/report_form.html",
        {
            "form": form,
            "persons": persons,
            "details": details,
            "acute": acute,
            "check_signals": _check_signals(form),
            "switch_form": True,
            # A browser never sends files again: after an error the visitor must choose them once more.
            "files_lost": bool(request.FILES),
            "just_sent": last_sent["at"] if last_sent else None,
        },
    )


def _received(
    request: HttpRequest, submission: Any, sent_token: str, template: str, remember_form: bool = True
) -> HttpResponse:
    """The confirmation with the receipt code, for the browser session that sent the form (a report or a question).
    Sent again from this session: the same code. Sent again from another session: the code is not shown.
    `remember_form`: the report form opened again soon carries the spent token (LAST_SENT_KEY); a question is not
    a report, so asking one does not make the report form say a report was sent."""
    # The token the report is stored under: a new one when the form's token was spent on other content.
    token = submission.token or sent_token
    digest = receipts.submission_digest(token)
    sent_here = request.session.get(SUBMITTED_SESSION_KEY, [])
    if submission.created:
        request.session[SUBMITTED_SESSION_KEY] = [*sent_here, digest][-SUBMITTED_KEEP:]
        if remember_form:
            request.session[LAST_SENT_KEY] = {"token": token, "at": timezone.now().isoformat()}
    elif digest not in sent_here:
        # The token was re-posted from another browser session: the report exists, but its code is
        # for the one who sent it.
        return render(request, "public/report_already_sent.html", status=409)
    return render(
        request,
        template,
        {
            "code": receipts.format_code(submission.code),
            "acute": submission.report.acute_danger == YesNoUnknown.YES,
            "duplicate": not submission.created,
            # A spent form sent with other content (Back, then changed): a separate report with its own code.
            "separate": submission.created and token != sent_token,
            "contact": submission.report.contact_preference,
            # The promises on this page are the region's configured terms (reports/terms.py), or none.
            "first_reading_days": promised_working_days(submission.report.priority),
            "feedback_days": terms().get("feedback_working_days"),
        },
    )


@public
def question_create(request: HttpRequest) -> HttpResponse:
    """A question to the centre without reporting: stored before it is confirmed, once per form, answered in the
    thread the visitor opens with the receipt code (or in the way they chose)."""
    status = 200
    if switching_language(request):
        form = VisitorQuestionForm(initial=typed_values(VisitorQuestionForm, request.POST))
    elif request.method == "POST":
        form = VisitorQuestionForm(request.POST)
        if form.is_valid():
            try:
                submission = form.submit()
            except OperationalError:
                form.add_error(
                    None,
                    _(
                        "We could not store your question just now, and nothing of it was kept. Your text is still "
                        "here: try sending it again in a few minutes. In danger now? Call 112."
                    ),
                )
                status = 503
            else:
                token = form.cleaned_data["token"]
                return _received(request, submission, token, "public/question_received.html", remember_form=False)
        else:
            status = 400
    else:
        form = VisitorQuestionForm(initial={"token": receipts.new_submission_token()})
    context = {"form": form, "switch_form": True}
    return render(request, "public/question_form.html", context, status=status)


def _not_stored(request: HttpRequest, form: ReportForm, persons: Any, details: Any) -> HttpResponse:
    form.add_error(
        None,
        _(
            "We could not store your report just now, and nothing of it was kept. Your text is still here: try "
            "sending it again in a few minutes. In danger now? Call 112."
        ),
    )
    context = {"form": form, "persons": persons, "details": details, "acute": False, "check_signals": [],
               "switch_form": True, "files_lost": bool(request.FILES), "just_sent": None}  # fmt: skip
    response = render(request, "public/report_form.html", context, status=503)
    response["Retry-After"] = "60"
    return response


@public
def followup_start(request: HttpRequest) -> HttpResponse:
    if switching_language(request):
        form = ReceiptForm(initial=typed_values(ReceiptForm, request.POST))
    else:
        form = ReceiptForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_bound and form.is_valid():
        # Wrong codes are counted per browser by its CSRF cookie (a random value, kept hashed), so no
        # session is made for a visitor until their code is right.
        browser_key = request.META.get("CSRF_COOKIE") or ""
        try:
            report = receipt_open(code=form.cleaned_data["code"], browser_key=browser_key)
        except ReceiptThrottled:
            form.add_error(
                None,
                _(
                    "Too many wrong codes have been tried. A right code still opens your report: check yours. "
                    "Otherwise, try again in an hour."
                ),
            )
            status = 429
        else:
            if report is not None:
                request.session.cycle_key()
                request.session[FOLLOWUP_SESSION_KEY] = report.pk
                if form.cleaned_data["reply"]:
                    session_keep(request.session, PENDING_REPLY_KEY, form.cleaned_data["reply"])
                session_started(request)
                return redirect("reports:followup_thread")
            form.add_error("code", _("We cannot find a report with this code. Check the code and try again."))
            status = 400
    return _code_page(request, form, status)


def _code_page(request: HttpRequest, form: ReceiptForm, status: int = 200) -> HttpResponse:
    """The page asking for the receipt code, saying so when it carries a message written earlier."""
    kept_reply = bool(str(form["reply"].value() or "").strip())
    context = {"form": form, "kept_reply": kept_reply, "switch_form": True}
    return render(request, "public/followup_start.html", context, status=status)


@public
def followup_thread(request: HttpRequest) -> HttpResponse:
    report_id = request.session.get(FOLLOWUP_SESSION_KEY)
    report = Report.objects.filter(pk=report_id).first() if report_id else None
    if report is None:
        if request.method != "POST":
            return redirect("reports:followup_start")
        if "code" in request.POST:
            # The code page that stands at this address (below) posts here, with its button or its language switch:
            # it is answered as the code page, so the kept message goes along with the code.
            return followup_start(request)
        # The session ended while the reporter was writing: ask for the code again, keeping the message in the page
        # (nothing is stored before the code is right).
        reply = str(request.POST.get("body", ""))[:MESSAGE_MAX]
        if request.FILES:
            # A browser does not keep files: the reporter chooses them once more after the code.
            messages.info(
                request, _("Your files were not added: open your report with your code and choose them again.")
            )
        return _code_page(request, ReceiptForm(initial={"reply": reply}))
    if switching_language(request):
        return _thread_page(request, report, MessageForm(initial=typed_values(MessageForm, request.POST)))
    if request.method == "POST":
        return _thread_send(request, report)
    pending = session_take(request.session, PENDING_REPLY_KEY) or ""
    return _thread_page(request, report, MessageForm(initial={"body": pending}))


def _thread_send(request: HttpRequest, report: Report) -> HttpResponse:
    """The thread's one form: a message, photos or documents, or both. Whichever part is refused, the other is not
    sent either and the page comes back with the message as typed (files must be chosen again: a browser does not
    keep them), so nothing typed or chosen is lost without a word."""
    has_files = bool(request.FILES.getlist("attachments"))
    has_body = bool(str(request.POST.get("body", "")).strip())
    form = MessageForm(request.POST)
    files_form = FilesForm(request.POST, request.FILES)
    if not has_body and not has_files:
        form.is_valid()
        form.errors.clear()
        form.add_error("body", _("Write a message, or choose photos or documents to add."))
        return _thread_page(request, report, form, status=400, files_lost=False)
    # Both parts are checked, so the page says every problem at once.
    body_ok = not has_body or form.is_valid()
    files_ok = not has_files or files_form.is_valid()
    if body_ok and files_ok:
        try:
            with transaction.atomic():
                added = report_reporter_add_files(report=report, files=files_form.clean_files) if has_files else None
                if has_body:
                    report_reporter_reply(report=report, body=form.cleaned_data["body"])
        except ValidationError as exc:
            files_form.add_error("attachments", exc)
        else:
            if has_body:
                messages.success(request, _("Your message has been sent. Thank you."))
            if added and added.added:
                count = len(added.added)
                text = ngettext(
                    "%(count)d file has been added to your report.", "%(count)d files have been added to your report.",
                    count,
                ) % {"count": count}  # fmt: skip
                messages.success(request, text)
            if added and added.already:
                messages.info(request, _("You had already added these files: they were not added again."))
            return redirect("reports:followup_thread")
    if not has_body:
        form = MessageForm(initial={"body": ""})
    return _thread_page(request, report, form, files_form, status=400, files_lost=has_files)


def _thread_page(
    request: HttpRequest,
    report: Report,
    form: MessageForm,
    files_form: FilesForm | None = None,
    status: int = 200,
    files_lost: bool = False,
) -> HttpResponse:
    """The reporter's page: status, messages, what they sent, and the forms to write and to add files."""
    context = {
        "report": report,
        "status_text": public_status_text(report.status),
        "thread": report.messages.all(),
        "form": form,
        "files_form": files_form or FilesForm(),
        "files_lost": files_lost,
        "to_reporter": Direction.TO_REPORTER,
        "switch_form": True,
        **report_sent(request, report),
    }
    return render(request, "public/followup_thread.html", context, status=status)


@public
@post_only
def followup_end(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("knowledge:home")


@public
def quick_exit(request: HttpRequest) -> HttpResponse:
    """The quick exit: ends this browser's visit (an opened report, a kept reply, the form just sent) and leaves
    for a neutral site, so that Back, sending a form again or a new tab shows nothing of it."""
    # A GET, so that it is a plain link that works at once, without JavaScript or a form. It changes nothing
    # stored: it only ends the visitor's own session. Another site can at most make a browser follow it as a link
    # (the session cookie is SameSite=Lax, so an image or script elsewhere cannot), which ends a session early.
    request.session.flush()
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    # A form page in the history is sent again on Back or reload (the report, a step of the signals check, with
    # what was typed): without its CSRF cookie the browser's copy is refused instead of answered.
    response.delete_cookie(
        settings.CSRF_COOKIE_NAME, path=settings.CSRF_COOKIE_PATH, domain=settings.CSRF_COOKIE_DOMAIN
    )
    # The browser drops what it kept of this site's pages, also for Back ("cookies" is not asked: it would clear
    # every site under the same registrable domain, such as the organisation's other services).
    response["Clear-Site-Data"] = '"cache"'
    return response
