from django.shortcuts import render

from casework.permissions import staff_required
from sla import selectors
from sla.engine import OutsideCalendarRange
from sla.forms import DeadlineCalculatorForm


@staff_required
def calculator(request):
    form = DeadlineCalculatorForm(request.GET or None)
    explanation = None
    if form.is_valid():
        try:
            explanation = selectors.explain_deadline(
                form.cleaned_data["start"], form.cleaned_data["working_days"], form.cleaned_data["division"]
            )
        except OutsideCalendarRange:
            form.add_error("start", "The calendar covers 1990 to 2090; choose a date in that range.")
    return render(request, "sla/calculator.html", {"form": form, "explanation": explanation})
