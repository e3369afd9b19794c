"""The residents' pages: the online complaint form (no sign-in), the accessibility statement and the privacy
notice. Views parse the request and call the journey (answers kept in the session), a selector or a service."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casework.auth_backends import client_ip
from online import journey, selectors, services, uploads
from online.forms import MAX_FILES, EvidenceForm, SendForm
from online.journey import SENT_KEY, FormState

logger = logging.getLogger(__name__)
SERVICE_NAME = "Make a complaint"


def _page(request, template, context=None, status=200):
    return render(request, template, {"service_name": SERVICE_NAME, **(context or {})}, status=status)


def _question_url(slug, change=False):
    if slug == journey.EVIDENCE:
        url = reverse("online:evidence")
    else:
        url = reverse("online:question", args=[slug])
    return url + ("?change=1" if change else "")


def _where_next(state, change=False):
    """The first question still to answer, else (answers all given) the check page or, going forward, the
    evidence page."""
    missing = state.first_unanswered()
    if missing:
        return _question_url(missing, change)
    return reverse("online:check")


def _back_url(state, slug, change):
    if change:
        return reverse("online:check")
    before = state.before(slug)
    return _question_url(before) if before else reverse("online:start")


def _refused(request, state):
    """A robot filled in the hidden field: nothing is kept and nothing is sent."""
    logger.warning("Online form refused: the spam trap was filled in")
    for held in state.uploads:
        uploads.discard(held)
    state.clear()
    return _page(request, "online/refused.html", {"reason": "trap"}, status=400)


@login_not_required
def start(request):
    return _page(request, "online/start.html", {"promise": selectors.promise_for_today()})


@login_not_required
def question(request, slug):
    if slug not in journey.BY_SLUG:
        raise Http404("No such question")
    state = FormState.load(request.session, start=True)
    if not state.reachable(slug):
        return redirect(_where_next(state))
    change = request.GET.get("change") == "1"
    if request.method == "POST":
        form = state.form_for(slug, request.POST)
        if form.trapped:
            return _refused(request, state)
        if form.is_valid():
            state.store(slug, request.POST, form)
            if change:
                return redirect(_where_next(state, change=True))
            return redirect(_question_url(state.after(slug)))
    else:
        form = state.form_for(slug)
    return _page(
        request,
        "online/question.html",
        {"form": form, "slug": slug, "change": change, "back_url": _back_url(state, slug, change)},
        status=400 if form.errors else 200,
    )


@login_not_required
def evidence(request):
    state = FormState.load(request.session)
    if state is None or not state.reachable(journey.EVIDENCE):
        return redirect(_where_next(state) if state else reverse("online:start"))
    change = request.GET.get("change") == "1"
    form = EvidenceForm(request.POST or None, request.FILES or None, wording=state.wording)
    if request.method == "POST":
        if form.trapped:
            return _refused(request, state)
        chosen = request.FILES.get("file")
        if chosen is None and request.POST.get("action") == "upload":
            form.add_error("file", "Select a file to upload")
        elif chosen is not None and len(state.uploads) >= MAX_FILES:
            form.add_error("file", f"You can add up to {MAX_FILES} files. Remove one to add another")
        elif chosen is not None:
            try:
                state.uploads.append(uploads.hold(state.token, chosen))
            except ValidationError as error:
                form.add_error("file", error.message_dict.get("file", error.messages)[0])
            else:
                state.save()
                messages.success(request, f"{state.uploads[-1]['name']} added")
        if not form.errors:
            if request.POST.get("action") == "continue":
                return redirect("online:check")
            return redirect(_question_url(journey.EVIDENCE, change))
    return _page(
        request,
        "online/evidence.html",
        {
            "form": form,
            "files": state.uploads,
            "max_files": MAX_FILES,
            "upload_limit_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "change": change,
            "back_url": reverse("online:check") if change else _question_url(state.before(journey.EVIDENCE)),
        },
        status=400 if form.errors else 200,
    )


@login_not_required
@require_POST
def remove_file(request):
    state = FormState.load(request.session)
    if state is None:
        return redirect("online:start")
    keep = []
    for held in state.uploads:
        if held["id"] == request.POST.get("file"):
            uploads.discard(held)
            messages.success(request, f"{held['name']} removed")
        else:
            keep.append(held)
    state.data["uploads"] = keep
    state.save()
    return redirect(reverse("online:evidence") + ("?change=1" if request.POST.get("change") == "1" else ""))


@login_not_required
def check(request):
    if request.method == "POST":
        return _send(request)
    state = FormState.load(request.session)
    if state is None:
        return redirect("online:start")
    cleaned, wrong = state.checked()
    if wrong:
        return redirect(_question_url(wrong, change=True))
    return _page(
        request,
        "online/check.html",
        {
            "rows": state.summary_rows(cleaned),
            "form": SendForm(initial={"submission_key": state.key}, wording=state.wording),
            "wording": state.wording,
            "back_url": _question_url(journey.EVIDENCE),
        },
    )


def _send(request):
    form = SendForm(request.POST)
    if form.trapped:
        state = FormState.load(request.session)
        return _refused(request, state) if state else _page(request, "online/refused.html", status=400)
    if not form.is_valid():
        return redirect("online:start")
    key = form.cleaned_data["submission_key"]
    state = FormState.load(request.session)
    if state is None or state.key != str(key):
        # Sent already (a second click, or the back button after sending): show what the first one made.
        sent = selectors.submission_by_key(key)
        if sent is None:
            return redirect("online:start")
        request.session[SENT_KEY] = sent.pk
        return redirect("online:done")
    cleaned, wrong = state.checked()
    if wrong:
        return redirect(_question_url(wrong, change=True))
    try:
        submission, _ = services.submit(
            answers=journey.answers_from(cleaned, state.uploads),
            submission_key=key,
            sender_address=client_ip(request),
        )
    except services.TooManySubmissions as refusal:
        return _page(request, "online/refused.html", {"reason": "rate", "message": str(refusal)}, status=429)
    state.clear()
    request.session[SENT_KEY] = submission.pk
    return redirect("online:done")


@login_not_required
def done(request):
    submission = selectors.sent_submission(request.session.get(SENT_KEY))
    if submission is None:
        return redirect("online:start")
    return _page(request, "online/done.html", {"submission": submission, "case": submission.case})


@login_not_required
def accessibility(request):
    return _page(request, "online/accessibility.html")


@login_not_required
def privacy(request):
    return _page(
        request,
        "online/privacy.html",
        {"retention_years": settings.RETENTION_YEARS, "uploads_kept_hours": settings.ONLINE_UPLOADS_KEPT_HOURS},
    )
