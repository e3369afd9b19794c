"""Administrators' letter templates: the list, and one template's page (edit, preview, history). Views parse
input, call a service or a selector, and render."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from casework.errors import InvalidInput
from casework.permissions import role_required
from casework.roles import Role
from correspondence import kinds, selectors, services
from correspondence.forms import LetterTemplateForm, add_problems

administrators = role_required(Role.ADMINISTRATOR)


@administrators
def templates(request):
    services.seed_letter_templates()
    return render(request, "correspondence/templates.html", {"templates": selectors.templates()})


def pdf_response(pdf, name):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@administrators
def edit_template(request, kind):
    letter_kind = kinds.get(kind)
    if letter_kind is None:
        raise Http404("No such letter")
    template = services.template_for(kind)
    action = request.POST.get("action", "preview")
    if request.method == "POST" and action == "restore":
        try:
            services.restore_template(template, request.POST.get("version"), actor=request.user)
        except (InvalidInput, ValueError):
            messages.error(request, "That version of the template does not exist.")
        else:
            messages.success(request, "The earlier words are back; the history keeps both.")
        return redirect("correspondence:template", kind=kind)
    form = LetterTemplateForm(request.POST or None, initial={"title": template.title, "body": template.body})
    preview, preview_case, status = None, None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "save":
                    services.save_template(template, title=data["title"], body=data["body"], actor=request.user)
                    messages.success(request, f"{data['title']} letter template saved.")
                    return redirect("correspondence:template", kind=kind)
                if action == "preview-pdf":
                    pdf = services.preview_template_pdf(
                        kind, title=data["title"], body=data["body"], reference=data["preview_with"]
                    )
                    return pdf_response(pdf, f"preview-{kind}.pdf")
                preview_case, preview = services.preview_template(kind, data["body"], data["preview_with"])
                status = 200
            except InvalidInput as error:
                add_problems(form, error)
    return render(
        request,
        "correspondence/template.html",
        {
            "template": template,
            "letter_kind": letter_kind,
            "form": form,
            "preview": preview,
            "preview_case": preview_case,
            "history": selectors.template_history(template)[:50],
        },
        status=status,
    )
