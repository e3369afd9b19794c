"""Answers for the online form, page by page, as a browser would post them."""

from casework.models import ServiceArea

COMPLAINT_PAGES = [
    ("asked-before", {"asked_before": "yes"}),
    ("who", {"who": "me"}),
    ("name", {"first_name": "Ada", "last_name": "Lovelace"}),
    ("contact", {"method": "email", "adjustments": "Large print, please"}),
    ("email", {"email": "ada@example.org"}),
    ("address", {"line_1": "12 Engine Row", "line_2": "", "town": "London", "postcode": "e1 6an"}),
    ("service", {"service_area": "Responsive Repairs"}),
    ("what-went-wrong", {"complaint_type": "delay"}),
    ("what-happened", {"description": "Leak under the sink reported three times.\nNobody came."}),
    ("when", {"occurred_on_day": "3", "occurred_on_month": "3", "occurred_on_year": "2025"}),
    ("put-right", {"outcome_wanted": "Fix the leak and apologise."}),
    ("urgent", {"urgent": "none"}),
]


def post_data(data):
    data = dict(data)
    if "service_area" in data and not str(data["service_area"]).isdigit():
        data["service_area"] = ServiceArea.objects.get(name=data["service_area"]).pk
    return data


def answer(client, slug, data, **extra):
    return client.post(f"/complain/{slug}/", post_data(data), **extra)


def walk(client, pages=COMPLAINT_PAGES, replace=None):
    """Answer every page; `replace` = {slug: data} changes some answers. Returns the last response."""
    replace = replace or {}
    response = None
    for slug, data in pages:
        response = answer(client, slug, replace.get(slug, data))
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
    return response


def send(client, commit):
    """Send the form from the check page; `commit` runs what waits for the transaction to commit."""
    page = client.get("/complain/check-your-answers/")
    assert page.status_code == 200, page
    key = page.context["form"].initial["submission_key"]
    with commit():
        response = client.post("/complain/check-your-answers/", {"submission_key": key})
    return response, key
