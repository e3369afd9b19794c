"""TP09 answers from a tenant perception survey's CSV: counted in the tenant satisfaction measures as typed
answers are; each bad row refused with its row and column, and nothing written when any row is refused."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import Property, StockType
from casework.roles import Role
from imports.core import import_file
from reporting import selectors
from reporting.models import SurveyAnswer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "survey-answers.csv"
HEADER = "reference,answered_on,answer,stock_type,uprn,survey"
TODAY = datetime.date(2025, 6, 1)


def _file(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode()


def _tp09(year=2024):
    return {
        m["stock_type"]: (m["survey_answers"], m["satisfied"]) for m in selectors.tenant_satisfaction(year)["measures"]
    }


def test_the_example_is_counted_in_tp09_and_imports_once():
    result = import_file("survey-answers", EXAMPLE.read_bytes(), today=TODAY)
    assert result.ok, [str(p) for p in result.problems]
    assert result.created == 5 and SurveyAnswer.objects.count() == 5
    assert any('1 "don\'t know" answer (row 6) left out' in warning for warning in result.warnings)
    measures = _tp09()
    assert measures[StockType.LCRA] == (3, 2) and measures[StockType.LCHO] == (2, 1)
    again = import_file("survey-answers", EXAMPLE.read_bytes(), today=TODAY)
    assert again.ok and again.unchanged == 5 and again.created == 0
    assert (
        "5 survey answers (0 new, 5 already imported"
        in import_file("survey-answers", EXAMPLE.read_bytes(), today=TODAY, dry_run=True).summary()
    )
    assert SurveyAnswer.objects.count() == 5


def test_the_stock_type_comes_from_the_home_when_not_given():
    Property.objects.create(uprn="100023336956", address_line_1="1 Canal Walk", stock_type=StockType.LCHO)
    result = import_file("survey-answers", _file("S-1,01/12/2024,fairly satisfied,,100023336956,TPS"), today=TODAY)
    assert result.ok, [str(p) for p in result.problems]
    answer = SurveyAnswer.objects.get()
    assert answer.stock_type == StockType.LCHO and answer.home.uprn == "100023336956"


def test_each_bad_row_is_refused_with_its_row_and_column_and_nothing_is_written():
    Property.objects.create(uprn="200", address_line_1="2 Canal Walk", stock_type=StockType.LEASEHOLD)
    Property.objects.create(uprn="300", address_line_1="3 Canal Walk", stock_type=StockType.LCRA)
    data = _file(
        "G-1,01/12/2024,very satisfied,LCRA,,TPS",  # good, but the file is refused as a whole
        ",01/12/2024,very satisfied,LCRA,,TPS",
        "B-2,31/02/2024,very satisfied,LCRA,,TPS",
        "B-3,01/12/2025,very satisfied,LCRA,,TPS",
        "B-4,01/12/2024,quite happy,LCRA,,TPS",
        "B-5,01/12/2024,very satisfied,leasehold,,TPS",
        "B-6,01/12/2024,very satisfied,,,TPS",
        "B-7,01/12/2024,very satisfied,,999,TPS",
        "B-8,01/12/2024,very satisfied,,200,TPS",
        "B-9,01/12/2024,very satisfied,LCHO,300,TPS",
        "G-1,02/12/2024,fairly satisfied,LCRA,,TPS",
        "B-11,,,LCRA,,TPS",
    )
    result = import_file("survey-answers", data, today=TODAY)
    found = {(p.row, p.column): p.message for p in result.problems}
    assert set(found) == {
        (3, "reference"),
        (4, "answered_on"),
        (5, "answered_on"),
        (6, "answer"),
        (7, "stock_type"),
        (8, "stock_type"),
        (9, "uprn"),
        (10, "stock_type"),
        (11, "stock_type"),
        (12, "reference"),
        (13, "answered_on"),
        (13, "answer"),
    }, [str(p) for p in result.problems]
    assert found[(6, "answer")].startswith("'quite happy' is not a TP09 answer we know")
    assert "TP09 is reported for low-cost rental and low-cost home ownership homes only" in found[(7, "stock_type")]
    assert found[(12, "reference")] == "'G-1' is already on row 2 of this survey."
    assert "not the UPRN of one of our homes" in found[(9, "uprn")]
    assert "differs from the stock type of the home with UPRN 300" in found[(11, "stock_type")]
    assert SurveyAnswer.objects.count() == 0


def test_a_changed_answer_on_a_second_import_is_refused():
    assert import_file("survey-answers", _file("S-1,01/12/2024,fairly satisfied,LCRA,,TPS"), today=TODAY).ok
    result = import_file("survey-answers", _file("S-1,01/12/2024,very dissatisfied,LCRA,,TPS"), today=TODAY)
    assert [str(p) for p in result.problems] == [
        "Row 2, column reference: 'S-1' was imported before as fairly satisfied on 01/12/2024 (Low-cost rental "
        "accommodation); a re-import never changes an imported answer. Correct it in the administration pages if "
        "it was wrong."
    ]
    # The same reference in another survey is another tenant's answer.
    assert import_file("survey-answers", _file("S-1,01/12/2024,very dissatisfied,LCRA,,TPS 2025"), today=TODAY).ok
    assert SurveyAnswer.objects.count() == 2


def test_the_command_and_the_upload_page_take_survey_answers(tmp_path, client):
    path = tmp_path / "answers.csv"
    path.write_bytes(_file("S-1,01/12/2024,Fairly Satisfied,lcra,,TPS", "S-2,01/12/2024,very satisfied,LCRA,,TPS"))
    call_command("import_cases", "survey-answers", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SurveyAnswer.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_file("S-3,01/12/2024,so-so,LCRA,,TPS"))
    with pytest.raises(CommandError):
        call_command("import_cases", "survey-answers", str(bad), stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(UserFactory(username="admin", role=Role.ADMINISTRATOR, is_staff=True))
    page = client.get("/imports/")
    assert page.status_code == 200 and "Tenant perception survey answers (TP09)" in page.content.decode()
