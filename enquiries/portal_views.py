"""The members' portal: councillors, MPs and their caseworkers submit enquiries and follow them.

Every page reads through `selectors.office_*`, which start from the signed-in user's office: an enquiry of
another office is not found (404), and officers' notes and internal events are never shown."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from casework.roles import Role, has_role
from casework.services import DomainError
from enquiries import selectors, services
from enquiries.portal_filters import PortalEnquiryFilter
from enquiries.portal_forms import PortalEnquiryForm, PortalMessageForm

PORTAL_PAGE_SIZE = 25
SERVICE_NAME = "Members' enquiries"


def _page(request, template, context, status=200):
    return render(request, template, {"service_name": SERVICE_NAME, **context}, status=status)


def portal_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_role(request.user, Role.MEMBER_PORTAL) or selectors.office_of(request.user) is None:
            raise PermissionDenied("The members' portal is for members' offices.")
        return view(request, *args, **kwargs)

    return wrapper


@portal_required
def home(request):
    # A busy office sends hundreds of enquiries a year: searched and filtered, a page at a time, newest first.
    members = selectors.office_members(request.user)
    filterset = PortalEnquiryFilter(
        request.GET or None, queryset=selectors.office_enquiries(request.user), members=members
    )
    page = Paginator(filterset.qs, PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "portal/home.html",
        {
            "page": page,
            "filter": filterset,
            "filtered": any(request.GET.get(name) for name in filterset.filters),
            "query": query.urlencode(),
            "office": selectors.office_of(request.user),
            "several_members": members.count() > 1,
        },
    )


@portal_required
def new(request):
    members = selectors.office_members(request.user)
    form = PortalEnquiryForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry, created = services.submit_enquiry(
                member=data["member"],
                submitted_by=request.user,
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
                summary=data["subject"],
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, DomainError) else error.messages[0])
        else:
            if created:
                messages.success(request, _sent_message(request.user, enquiry))
            return redirect("portal:detail", reference=enquiry.reference)
    return _page(request, "portal/new.html", {"form": form}, status=400 if form.errors else 200)


def _sent_message(user, enquiry):
    """The dates of the enquiry's own clocks: acknowledged by (when the member's type has that target) and
    answered in full by, each under its own name."""
    dates = selectors.office_enquiry(user, enquiry.reference)
    message = f"Enquiry {enquiry.reference} sent."
    if dates.acknowledge_due_on:
        message += f" We will acknowledge it by {dates.acknowledge_due_on:%A %-d %B %Y}"
        message += f" and respond in full by {dates.response_due_on:%A %-d %B %Y}."
    else:
        message += f" We will respond in full by {dates.response_due_on:%A %-d %B %Y}."
    return message


@portal_required
def detail(request, reference):
    enquiry = selectors.office_enquiry(request.user, reference)
    if enquiry is None:
        raise Http404("No such enquiry")
    form = PortalMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_message(enquiry, author=request.user, body=form.cleaned_data["body"], from_office=True)
        messages.success(request, "Message sent to the council.")
        return redirect("portal:detail", reference=reference)
    return _page(
        request,
        "portal/detail.html",
        {
            "enquiry": enquiry,
            "form": form,
            "due_on": enquiry.response_due_on,
            "acknowledge_due_on": enquiry.acknowledge_due_on,
            "timeline": selectors.portal_timeline(enquiry),
            "messages_list": enquiry.messages.all(),
        },
        status=400 if form.errors else 200,
    )
