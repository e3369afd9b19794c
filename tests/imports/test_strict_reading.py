"""The CSV reader is strict: a file with an unbalanced quote, a row with the wrong number of values or a value
longer than its column is refused, each problem named by row and column, and nothing is written. A second
confirmation of the same checked upload is told so."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Case, JobRun
from casework.reference_data import load_reference_data
from complaints.models import Complaint
from imports.core import import_file
from tests.imports.test_import import GOOD, HEADER, csv_file, problems_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data():
    load_reference_data()


def test_an_unterminated_quote_is_refused_with_its_row_and_column_not_swallowed_into_one_case():
    rows = [
        GOOD[0],
        'R-3,1,02/10/2023,,23/10/2023,upheld,Responsive Repairs,"Responsive Repairs (Mears),delay,email',
        *[f"R-{n},1,02/10/2023,,23/10/2023,upheld,Rents,Rents,financial,phone" for n in range(4, 11)],
    ]
    result = import_file("complaints", csv_file(*rows))

    assert not result.ok and result.created == 0
    [problem] = [p for p in result.problems if "quote" in p.message]
    assert (problem.row, problem.column) == (3, "issue_nature")
    assert "never closed" in problem.message
    assert Case.objects.count() == 0


def test_a_stray_quote_inside_a_quoted_value_is_refused():
    row = 'R-3,1,02/10/2023,,23/10/2023,upheld,"Rents"x,Rents,financial,phone'
    result = import_file("complaints", csv_file(GOOD[0], row))
    assert not result.ok
    [problem] = [p for p in result.problems if "quote" in p.message]
    assert (problem.row, problem.column) == (3, "service_area")


def test_rows_with_too_few_or_too_many_values_are_refused():
    short = "R-3,1,02/10/2023,,23/10/2023,upheld,Rents,Rents,financial"
    long = "R-4,1,02/10/2023,,23/10/2023,upheld,Rents,Rents,financial,phone,extra"
    result = import_file("complaints", csv_file(GOOD[0], short, long))
    found = problems_of(result)
    assert (3, None, "The row has 9 values but the header names 10 columns.") in found
    assert (4, None, "The row has 11 values but the header names 10 columns.") in found
    assert Case.objects.count() == 0


def test_values_longer_than_their_column_are_refused_not_cut_short():
    header = HEADER + ",summary,resident_first_name,resident_last_name"
    row = GOOD[2] + "," + "S" * 251 + "," + "A" * 101 + ",Lovelace"
    result = import_file("complaints", csv_file(row, header=header))
    found = problems_of(result)
    assert (2, "summary", "is 251 characters long; it can hold at most 250.") in found
    assert (2, "resident_first_name", "is 101 characters long; it can hold at most 100.") in found
    assert Case.objects.count() == 0
    # At the limit it is kept whole.
    row = GOOD[2] + "," + "S" * 250 + "," + "A" * 100 + ",Lovelace"
    result = import_file("complaints", csv_file(row, header=header))
    assert result.ok, problems_of(result)
    assert Complaint.objects.get().summary == "S" * 250


def test_the_import_command_exits_non_zero_on_an_unbalanced_quote(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "cases.csv"
    path.write_bytes(csv_file(GOOD[0], 'R-3,1,"02/10/2023,,23/10/2023,upheld,Rents,Rents,financial,phone'))
    with pytest.raises(CommandError):
        call_command("import_cases", "complaints", str(path))
    assert Case.objects.count() == 0


def test_confirming_the_same_check_twice_imports_once_and_says_so(client, administrator):
    client.force_login(administrator)
    client.post(
        "/imports/",
        {"kind": "complaints", "encoding": "utf-8", "file": SimpleUploadedFile("cases.csv", csv_file(*GOOD))},
    )
    pending = client.session["imports_pending"]
    token = pending["token"]
    first = client.post(reverse("imports:confirm"), {"token": token, "action": "import"}, follow=True)
    assert "Imported 2 new cases" in first.content.decode()

    # A second tab, or a double click, that read the same check before the first finished.
    session = client.session
    session["imports_pending"] = pending
    session.save()
    second = client.post(reverse("imports:confirm"), {"token": token, "action": "import"}, follow=True)

    assert second.status_code == 200
    assert "already confirmed" in second.content.decode()
    assert Complaint.objects.count() == 2
    assert JobRun.objects.filter(job="import complaints").count() == 1
