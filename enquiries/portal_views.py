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
from enquiries import forms, selectors, services

PORTAL_PAGE_SIZE = 25


def portal_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_role(request.user, Role.MEMBER_PORTAL) or selectors.office_of(request.user) is None:
            raise PermissionDenied("The members' portal is for members' offices.")
        return view(request, *args, **kwargs)

    return wrapper


@portal_required
def home(request):
    # A busy office sends hundreds of enquiries a year: a page at a time, newest first.
    page = Paginator(selectors.office_enquiries(request.user), PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/home.html", {"page": page, "office": selectors.office_of(request.user)})


@portal_required
def new(request):
    members = selectors.office_members(request.user)
    form = forms.EnquiryForm(request.POST or None, members=members)
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
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, DomainError) else error.messages[0])
        else:
            if created:
                messages.success(
                    request, f"Enquiry {enquiry.reference} sent. We will respond by {enquiry.next_due_on:%-d %B %Y}."
                )
            return redirect("portal:detail", reference=enquiry.reference)
    return render(request, "portal/new.html", {"form": form}, status=400 if form.errors else 200)


@portal_required
def detail(request, reference):
    enquiry = selectors.office_enquiry(request.user, reference)
    if enquiry is None:
        raise Http404("No such enquiry")
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_message(enquiry, author=request.user, body=form.cleaned_data["body"], from_office=True)
        messages.success(request, "Message sent to the council.")
        return redirect("portal:detail", reference=reference)
    return render(
        request,
        "portal/detail.html",
        {
            "enquiry": enquiry,
            "form": form,
            "due_on": enquiry.response_due_on,
            "timeline": selectors.portal_timeline(enquiry),
            "messages_list": enquiry.messages.all(),
        },
        status=400 if form.errors else 200,
    )
