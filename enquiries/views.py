"""Officers' pages for members' enquiries."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casework.actions import action_links, action_page, show_refusal
from casework.forms import AttachmentForm, NoteForm
from casework.paging import CappedCountPaginator, showing
from casework.permissions import staff_required
from casework.selectors import timeline_for_page
from casework.services import DomainError
from casework.views import queue_tools
from enquiries import forms, selectors, services
from enquiries.workflow import WORKFLOW


def _enquiry_or_404(request, reference):
    enquiry = selectors.enquiry_for(request.user, reference)
    if enquiry is None:
        raise Http404("No such enquiry")
    return enquiry


@staff_required
def queue(request):
    filterset = selectors.work_queue(request.user, request.GET)
    page = CappedCountPaginator(
        showing(filterset.qs, selectors.QUEUE_ROW_FIELDS), 50, cap=filterset.count_cap
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enquiries/queue.html",
        {"filter": filterset, "page": page, "query": query.urlencode(), **queue_tools(request, "enquiries")},
    )


@staff_required
def new(request):
    """An officer records an enquiry that came by email or phone, for a member."""
    form = forms.EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry, _ = services.submit_enquiry(
                member=data["member"],
                submitted_by=None,
                enquiry_type=data["enquiry_type"],
                service_area=data["service_area"],
                description=data["description"],
                constituent=services.Constituent(
                    data["first_name"],
                    data["last_name"],
                    data["email"],
                    data["phone"],
                    data["address"],
                    data["postcode"],
                ),
                consent_to_share=data["consent_to_share"],
                urgent_reasons=data["urgent_reasons"],
                submission_key=data["submission_key"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Enquiry {enquiry.reference} recorded.")
            return redirect(enquiry.get_absolute_url())
    return render(request, "enquiries/new.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def detail(request, reference):
    enquiry = _enquiry_or_404(request, reference)
    return render(
        request,
        "enquiries/detail.html",
        {
            "enquiry": enquiry,
            "case": enquiry,
            "actions": action_links(
                WORKFLOW, enquiry, request.user, lambda name: reverse("enquiries:action", args=[reference, name])
            ),
            "clocks": enquiry.clocks.order_by("started_on", "id"),
            **timeline_for_page(enquiry, request),
            "message_form": forms.MessageForm(),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@staff_required
def action(request, reference, name):
    enquiry = _enquiry_or_404(request, reference)
    return action_page(request, workflow=WORKFLOW, case=enquiry, name=name)


@staff_required
@require_POST
def message(request, reference):
    enquiry = _enquiry_or_404(request, reference)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        services.add_message(enquiry, author=request.user, body=form.cleaned_data["body"], from_office=False)
        messages.success(request, "Message sent to the member's office.")
    else:
        messages.error(request, "Write the message before sending it.")
    return redirect(enquiry.get_absolute_url() + "#messages")
