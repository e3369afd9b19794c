"""Report pages. Each reads one selector and renders it, or writes it as CSV or XLSX (`?format=csv|xlsx`)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from casework.actions import show_refusal
from casework.errors import DomainError, InvalidInput, NotAllowed
from casework.exports import csv_response, xlsx_response
from casework.permissions import role_required
from casework.roles import Role
from reporting import closure_survey as surveys
from reporting import exports, selectors, services
from reporting.forms import (
    ClosureSurveyForm,
    GoverningBodyResponseForm,
    PerformanceAnalysisForm,
    ReportFilterForm,
    YearForm,
)
from reporting.models import GoverningBodyResponse, MonthlyReport, PerformanceAnalysis
from reporting.periods import financial_year_label, financial_year_of

MANAGERS = (Role.MANAGER, Role.ADMINISTRATOR)
DASHBOARD_ROLES = (Role.MANAGER, Role.ADMINISTRATOR, Role.COMPLAINTS_OFFICER)


def _download(request, name, sheets):
    wanted = request.GET.get("format")
    sheets = exports.spreadsheet_safe(sheets)
    if wanted == "xlsx":
        return xlsx_response(f"{name}.xlsx", sheets)
    if wanted == "csv" and request.GET.get("table"):
        # One table as a plain CSV: its one header row, then its rows, as the sheet of the same table.
        found = exports.table_named(sheets, request.GET["table"])
        if found is None:
            raise Http404(f"This report has no table '{request.GET['table']}'.")
        title, header, rows = found
        return csv_response(f"{name}-{slugify(title)}.csv", header, rows)
    if wanted == "csv":
        return csv_response(f"{name}.csv", ["Table", "Row", "Column", "Value"], exports.as_long_rows(sheets))
    return None


def _query_without_format(request):
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    return render(request, "reporting/dashboard.html", {"data": selectors.dashboard()})


@role_required(*MANAGERS)
def performance(request):
    form = ReportFilterForm(request.GET or None)
    data = None
    if not request.GET or form.is_valid():
        if not request.GET:
            form = ReportFilterForm({})
            form.is_valid()
        filters = form.cleaned_data
        data = selectors.performance(
            form.period(),
            service_area=filters.get("service_area"),
            issue_nature=filters.get("issue_nature"),
            average_until=filters.get("average_until"),
        )
        download = _download(
            request,
            f"complaints-performance-{data['period']['start']}-{data['period']['end']}",
            exports.performance_sheets(data),
        )
        if download:
            return download
    return render(
        request,
        "reporting/performance.html",
        {
            "form": form,
            "data": data,
            "query": _query_without_format(request),
            "charts": _charts(data) if data else None,
        },
    )


UPHELD_CHART_NATURES = 8  # the issue natures with most complaints the "upheld and on time" chart shows
LABEL_LINE = 18  # characters per line of an axis label, so long issue natures wrap instead of overlapping


def wrap_label(text, width=LABEL_LINE):
    """An axis label as lines of at most `width` characters (Chart.js draws a list as lines); a single word
    longer than that is cut with an ellipsis."""
    lines, line = [], ""
    for word in text.split():
        word = word if len(word) <= width else word[: width - 1] + "…"
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def _percent_or_none(value):
    # An issue nature with no decided (or no answered) complaints has no percentage: a gap, not a bar at 0%.
    return None if value is None else float(value)


def _charts(data):
    """What the page's charts draw; each chart's figures are also in a table beside it."""
    months = data["months"]
    stages = [s["stage"] for s in months[0]["stages"]] if months else []
    # The caption's "issue natures with most complaints": the most received in the period, not the table's order
    # (largest rise first).
    natures = sorted(
        (row for row in data["by_issue_nature"] if row["received"]),
        key=lambda row: (-row["received"], row["issue_nature"]),
    )[:UPHELD_CHART_NATURES]
    return {
        "volumes": {
            "type": "bar",
            "stacked": True,
            "labels": [f"{row['month']:%b %Y}" for row in months],
            "datasets": [
                {"label": f"Stage {n}", "data": [row["stages"][i]["received"] for row in months]}
                for i, n in enumerate(stages)
            ],
        },
        "upheld": {
            "type": "bar",
            "horizontal": True,
            "max": 100,
            "natures": [row["issue_nature"] for row in natures],
            "labels": [wrap_label(f"{row['issue_nature']} ({row['received']})") for row in natures],
            "datasets": [
                {"label": "% upheld", "data": [_percent_or_none(row["percent_upheld"]) for row in natures]},
                {
                    "label": "% within target",
                    "data": [_percent_or_none(row["percent_within_target"]) for row in natures],
                },
            ],
        },
    }


@role_required(*MANAGERS)
def tenant_satisfaction(request):
    form, year = _year_form(request)
    data = selectors.tenant_satisfaction(year)
    download = _download(
        request, f"tenant-satisfaction-{financial_year_label(year).replace('/', '-')}", exports.tsm_sheets(data)
    )
    return download or render(
        request, "reporting/tsm.html", {"form": form, "data": data, "query": _query_without_format(request)}
    )


def _year_form(request):
    form = YearForm(request.GET or {})
    if form.is_valid():
        return form, form.cleaned_data["year"]
    return form, financial_year_of(timezone.localdate())


@role_required(*MANAGERS)
def annual(request):
    form, year = _year_form(request)
    data = selectors.annual_report(year)
    download = _download(
        request, f"annual-complaints-report-{financial_year_label(year).replace('/', '-')}", exports.annual_sheets(data)
    )
    return download or render(
        request,
        "reporting/annual.html",
        {
            "form": form,
            "data": data,
            "query": _query_without_format(request),
            "may_record_response": services.may_record_response(request.user),
        },
    )


def _annual_report_entry(request, *, form_class, model, fields, record, saved, anchor, template):
    """A page that writes one part of a year's annual report (one row per reporting year): the form opens with
    what is stored for the year, and saving again corrects it. `record(actor, year, data)` calls the service;
    `saved` is the message, with {year}; `anchor` the report's section to return to."""
    _, year = _year_form(request)
    if request.method == "POST":
        form = form_class(request.POST)
    else:
        stored = model.objects.filter(reporting_year=year).first()
        initial = {"year": financial_year_label(year)}
        if stored:
            initial.update({name: getattr(stored, name) for name in fields})
        form = form_class(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record(request.user, data["year"], data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            label = financial_year_label(data["year"])
            messages.success(request, saved.format(year=label))
            return redirect(f"{reverse('reporting:annual')}?year={label}#{anchor}")
    return render(
        request, template, {"form": form, "year_label": financial_year_label(year)}, status=400 if form.errors else 200
    )


@role_required(*services.RECORDER_ROLES)
def governing_body_response(request):
    """Record the governing body's response to a year's annual report (Code 8.2), or correct it."""
    return _annual_report_entry(
        request,
        form_class=GoverningBodyResponseForm,
        model=GoverningBodyResponse,
        fields=("governing_body", "responded_on", "response"),
        record=lambda actor, year, data: services.record_governing_body_response(
            actor=actor,
            reporting_year=year,
            governing_body=data["governing_body"],
            responded_on=data["responded_on"],
            response=data["response"],
        ),
        saved="The governing body's response to the {year} report is recorded.",
        anchor="governing-body-response",
        template="reporting/governing_body_response.html",
    )


@role_required(*services.RECORDER_ROLES)
def performance_analysis(request):
    """Record the council's written analysis of a year's complaint handling performance (Code 8.1(b)), or correct
    it."""
    return _annual_report_entry(
        request,
        form_class=PerformanceAnalysisForm,
        model=PerformanceAnalysis,
        fields=("analysis",),
        record=lambda actor, year, data: services.record_performance_analysis(
            actor=actor, reporting_year=year, analysis=data["analysis"]
        ),
        saved="The analysis of {year} performance is recorded.",
        anchor="performance",
        template="reporting/performance_analysis.html",
    )


@role_required(*MANAGERS)
def self_assessment(request):
    form, year = _year_form(request)
    data = selectors.self_assessment(year)
    download = _download(
        request,
        f"code-self-assessment-{financial_year_label(year).replace('/', '-')}",
        exports.self_assessment_sheets(data),
    )
    return download or render(
        request, "reporting/self_assessment.html", {"form": form, "data": data, "query": _query_without_format(request)}
    )


@role_required(*MANAGERS)
def monthly_list(request):
    return render(
        request, "reporting/monthly_list.html", {"reports": MonthlyReport.objects.only("month", "generated_at")}
    )


@role_required(*MANAGERS)
def monthly_detail(request, month):
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date()
    except ValueError as error:
        raise Http404("No such month") from error
    report = get_object_or_404(MonthlyReport, month=first)
    download = _download(request, f"complaints-report-{month}", exports.monthly_sheets(report.figures))
    return download or render(request, "reporting/monthly_detail.html", {"report": report, "figures": report.figures})


@login_not_required
def closure_survey(request, token):
    """The resident's one question about how their complaint was handled; answered once."""
    survey = surveys.for_token(token)
    if survey is None:
        raise Http404("No such survey")
    context = {"complaint": survey.complaint}
    closed = surveys.why_not_answered(survey)
    if closed:
        return render(request, "reporting/closure_survey_closed.html", {**context, "reason": closed})
    form = ClosureSurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.answer(token, form.cleaned_data["answer"])
        except NotAllowed as refusal:
            return render(
                request, "reporting/closure_survey_closed.html", {**context, "reason": refusal.message}, status=409
            )
        except InvalidInput as problem:
            form.add_error("answer", problem.message)
        else:
            return render(request, "reporting/closure_survey_thanks.html", context)
    return render(request, "reporting/closure_survey.html", {**context, "form": form})
