"""Reports as spreadsheet tables: each report becomes a list of (title, header, rows), or (title, header, rows,
sheet name) where the title is longer than a sheet's name may be, for XLSX (a sheet each) and, flattened to
(table, row, column, value), for CSV. Written through casework.exports, which neutralises spreadsheet formulas
in free text.

So that a council can read a download back (the CSV into a table keyed by table, row and column; the XLSX
sheet by sheet), every table has one header row whose column names differ, and its first column names the
row: a table with two dimensions (the five years by stage) has one row per year and a column per stage and
figure, never the year repeated as the row label with the stage in a column."""

from casework.exports import sheet_names


def _pct(value):
    return "" if value is None else value


def _stage_sheet(rows):
    return (
        "By stage",
        [
            "Stage",
            "Received",
            "Responded",
            "Within target",
            "% within target",
            "% within without extension",
            "Average working days",
            "Upheld",
            "Partly upheld",
            "Not upheld",
            "% upheld",
        ],
        [
            [
                r["stage"],
                r["received"],
                r["responded"],
                r["within_target"],
                _pct(r["percent_within_target"]),
                _pct(r["percent_within_target_without_extension"]),
                _pct(r["average_working_days"]),
                r["upheld"],
                r["partly_upheld"],
                r["not_upheld"],
                _pct(r["percent_upheld"]),
            ]
            for r in rows
        ],
    )


def _nature_sheet(rows):
    return (
        "By issue nature",
        [
            "Issue nature",
            "Received last year",
            "Received",
            "Variance",
            "% variance",
            # Upheld and partly upheld counted together, as the year-on-year tables (seed 002) count them;
            # the outcomes one by one follow.
            "Upheld or partly upheld last year",
            "Upheld or partly upheld",
            "Upheld or partly upheld variance",
            "% upheld or partly upheld variance",
            "Upheld",
            "Partly upheld",
            "Not upheld",
            "% upheld",
            "Responded",
            "% within target",
        ],
        [
            [
                r["issue_nature"],
                r["received_previous"],
                r["received"],
                r["variance"],
                _pct(r["variance_percent"]),
                r["upheld_previous"],
                r["upheld_current"],
                r["upheld_variance"],
                _pct(r["upheld_variance_percent"]),
                r["upheld"],
                r["partly_upheld"],
                r["not_upheld"],
                _pct(r["percent_upheld"]),
                r["responded"],
                _pct(r["percent_within_target"]),
            ]
            for r in rows
        ],
    )


def _area_sheet(rows):
    return (
        "By service area",
        ["Service area", "Received", "Responded", "% within target", "Average working days", "% upheld"],
        [
            [
                r["service_area"],
                r["received"],
                r["responded"],
                _pct(r["percent_within_target"]),
                _pct(r["average_working_days"]),
                _pct(r["percent_upheld"]),
            ]
            for r in rows
        ],
    )


def _enquiry_sheets(enquiries):
    header = ["Received", "Responded", "On time", "% on time", "Average working days"]

    def values(r):
        return [
            r["received"],
            r["responded"],
            r["on_time"],
            _pct(r["percent_on_time"]),
            _pct(r["average_working_days"]),
        ]

    return [
        (
            "Enquiries by member",
            ["Member", *header],
            [[r["member"], *values(r)] for r in enquiries.get("by_member", [])],
        ),
        (
            "Enquiries by service area",
            ["Service area", *header],
            [[r["service_area"], *values(r)] for r in enquiries.get("by_service_area", [])],
        ),
    ]


def _section_sheets(sections):
    sheets = []
    for section in sections:
        for table in section.get("tables", []):
            columns = table["columns"]
            sheets.append(
                (
                    table["title"],
                    [c["label"] for c in columns],
                    [[row.get(c["key"]) for c in columns] for row in table["rows"]],
                    table.get("sheet"),
                )
            )
    return sheets


def _headline_sheet(data):
    h, e = data["headline"], data["escalation"]
    rows = [
        ["Stages received", h["received"]],
        ["Stages received in the year before", h["received_previous"]],
        ["% change", _pct(h["variance_percent"])],
        ["Responses", h["responded"]],
        ["% within target", _pct(h["percent_within_target"])],
        ["% within target without extension", _pct(h["percent_within_target_without_extension"])],
        ["Average working days to respond", _pct(h["average_working_days"])],
        ["% upheld (partly upheld counted as upheld)", _pct(h["percent_upheld"])],
        ["Compensation offered (pence)", h["compensation_pence"]],
        ["Stage 1 complaints", e["stage_1"]],
        ["Stage 2 escalations", e["stage_2"]],
        ["Escalation rate %", _pct(e["rate_percent"])],
    ]
    return ("Summary", ["Figure", "Value"], rows)


def performance_sheets(data):
    months = (
        "By month",
        [
            "Month",
            *[f"Stage {s['stage']}" for s in (data["months"][0]["stages"] if data["months"] else [])],
            "Total",
            "Year-to-date average",
            "% rise",
            "Members' enquiries",
            "Enquiries year-to-date average",
            "Enquiries % rise",
        ],
        [
            [
                str(r["month"])[:7],
                *[s["received"] for s in r["stages"]],
                r["total"],
                _pct(r["year_to_date_average"]),
                _pct(r["rise_percent"]),
                r["enquiries"],
                _pct(r["enquiries_year_to_date_average"]),
                _pct(r["enquiries_rise_percent"]),
            ]
            for r in data["months"]
        ],
    )
    return [
        _headline_sheet(data),
        months,
        _stage_sheet(data["by_stage"]),
        _nature_sheet(data["by_issue_nature"]),
        _area_sheet(data["by_service_area"]),
        *_enquiry_sheets(data["enquiries"]),
        *_section_sheets(data["sections"]),
    ]


def monthly_sheets(figures):
    rise = figures["rise"]
    return [
        _headline_sheet(figures),
        (
            "Rise over average",
            ["Figure", "Value"],
            [
                ["Complaint stages received", rise["received"]],
                ["Financial year-to-date monthly average", _pct(rise["year_to_date_average"])],
                ["% rise", _pct(rise["rise_percent"])],
                ["Members' enquiries received", rise["enquiries"]],
                ["Enquiries year-to-date monthly average", _pct(rise["enquiries_year_to_date_average"])],
                ["Enquiries % rise", _pct(rise["enquiries_rise_percent"])],
            ],
        ),
        _stage_sheet(figures["by_stage"]),
        _nature_sheet(figures["by_issue_nature"]),
        _area_sheet(figures["by_service_area"]),
        *_enquiry_sheets(figures["enquiries"]),
        (
            "Open work",
            ["Cases", "Open", "Due today", "Due in 3 working days", "Overdue", "Acknowledgement overdue"],
            [
                [k["label"], k["open"], k["due_today"], k["due_soon"], k["overdue"], k["acknowledgement_overdue"]]
                for k in figures["open_work"]["kinds"]
            ],
        ),
        *_section_sheets(figures["sections"]),
    ]


def tsm_sheets(data):
    return [
        (
            f"TSMs {data['period']['label']}",
            [
                "Stock type",
                "Homes",
                "Stage 1 received",
                "CH01(1) per 1,000 homes",
                "Stage 2 received",
                "CH01(2) per 1,000 homes",
                "Stage 1 responded",
                "Stage 1 within timescale",
                "CH02(1) %",
                "Stage 2 responded",
                "Stage 2 within timescale",
                "CH02(2) %",
                "Survey answers",
                "Satisfied",
                "TP09 %",
                "Closure survey answers (not a TSM)",
                "Closure survey satisfied",
                "Closure survey satisfied %",
            ],
            [
                [
                    m["stock_type_label"],
                    m["homes"],
                    m["stage_1_received"],
                    _pct(m["ch01_1"]),
                    m["stage_2_received"],
                    _pct(m["ch01_2"]),
                    m["stage_1_responded"],
                    m["stage_1_within_timescale"],
                    _pct(m["ch02_1"]),
                    m["stage_2_responded"],
                    m["stage_2_within_timescale"],
                    _pct(m["ch02_2"]),
                    m.get("survey_answers"),
                    m.get("satisfied"),
                    _pct(m.get("tp09")),
                    m.get("closure_survey_answers"),
                    m.get("closure_survey_satisfied"),
                    _pct(m.get("closure_survey_percent")),
                ]
                # The homes whose stock type is not recorded on their own line, as on the page: never counted as
                # LCRA or LCHO, shown so the measures' coverage is visible.
                for m in [*data["measures"], *([data["unknown_stock"]] if data.get("unknown_stock") else [])]
            ],
        )
    ]


def _trend_sheet(years):
    """One row per financial year, a received and an average column per stage (seed 003's five-year table)."""
    stages = sorted({stage["stage"] for year in years for stage in year["stages"]})
    header = ["Financial year"]
    for number in stages:
        header += [f"Stage {number} received", f"Stage {number} average working days"]
    rows = []
    for year in years:
        by_stage = {stage["stage"]: stage for stage in year["stages"]}
        row = [year["financial_year"]]
        for number in stages:
            stage = by_stage.get(number, {})
            row += [stage.get("received", 0), _pct(stage.get("average_working_days"))]
        rows.append(row)
    return ("Five years", header, rows)


def annual_sheets(data):
    refusals = data["refusals"]
    return [
        _headline_sheet(data),
        (
            "Resolved by stage",
            ["Stage", "Complaints", "%"],
            [[r["stage"], r["complaints"], _pct(r["percent"])] for r in data["resolution_by_stage"]],
        ),
        _trend_sheet(data["trend"]),
        _stage_sheet(data["by_stage"]),
        _nature_sheet(data["by_issue_nature"]),
        _area_sheet(data["by_service_area"]),
        (
            "Refusals",
            ["Reason", "Complaints"],
            [[r["label"], r["complaints"]] for r in refusals["complaints_refused"]]
            + [["Escalation requests refused", refusals["escalations_refused"]]],
        ),
        (
            "Escalations refused",
            ["Complaint", "Requested on", "Reason"],
            [[r["complaint"], r["requested_on"], r["reason"]] for r in refusals["escalation_refusal_reasons"]],
        ),
        *tsm_sheets({"period": data["period"], "measures": data["tenant_satisfaction"]}),
        *_enquiry_sheets(data["enquiries"]),
        *_section_sheets(data["sections"]),
        *_code_section_sheets(data),
    ]


def _code_section_sheets(data):
    """The sections Code 8.1 and 8.2 name, as the page shows them: what each holds, or that the year has none."""
    if "code_sections" not in data:
        return []
    response = data["governing_body_response"]
    analysis = data.get("performance_analysis")
    return [
        (
            "Code 8.1 sections",
            ["Provision", "Section", "This year"],
            [
                [section["provision"], section["heading"], "Recorded" if section["has_content"] else section["empty"]]
                for section in data["code_sections"]
            ],
        ),
        (
            "Non-compliance findings",
            ["Kind", "Issued on", "Ombudsman's reference", "Code provisions", "Finding", "What the council did"],
            [
                [
                    finding.get_kind_display(),
                    finding.issued_on,
                    finding.ombudsman_reference,
                    finding.code_provisions,
                    finding.finding,
                    finding.council_action,
                ]
                for finding in data["non_compliance"]
            ],
        ),
        (
            "Ombudsman letters and reports",
            ["Kind", "Ombudsman", "Received on", "Title", "Summary"],
            [
                [p.get_kind_display(), p.get_ombudsman_display(), p.received_on, p.title, p.summary]
                for p in [*data["annual_letters"], *data["other_publications"]]
            ],
        ),
        (
            "Performance analysis",
            ["Financial year", "Analysis"],
            [[data["financial_year"], analysis.analysis]] if analysis else [],
        ),
        (
            "Governing body response",
            ["Governing body", "Responded on", "Response"],
            [[response.governing_body, response.responded_on, response.response]] if response else [],
        ),
    ]


def self_assessment_sheets(data):
    return [
        (
            f"Self-assessment {data['financial_year']}",
            # The question names the row: a section holds several.
            ["Question", "Section", "Answer from the data", "Figure"],
            [[q["question"], q["section"], q["answer"], _pct(q["figure"])] for q in data["questions"]],
        )
    ]


def as_long_rows(sheets):
    """Every sheet's cells as (table, row label, column, value), for one CSV of a whole report. Each (table,
    row, column) is there once: should two rows of a table carry the same label (two members of one name), the
    second is told apart as "(2)", never merged or overwritten when the file is read back."""
    for title, header, rows, *_sheet in sheets:
        columns = _distinct(header[1:])
        labels = _distinct([row[0] if row else "" for row in rows])
        for label, row in zip(labels, rows, strict=True):
            for column, value in zip(columns, row[1:], strict=False):
                yield [title, label, column, value]


def table_named(sheets, name):
    """(title, header, rows) of the table whose title or sheet name is `name` (compared as a slug:
    "by-issue-nature" or "By issue nature"), with the row labels made distinct as in the long CSV; or None."""
    from django.utils.text import slugify

    wanted = slugify(name)
    for title, header, rows, *sheet in sheets:
        if wanted in {slugify(title), slugify(sheet[0] if sheet and sheet[0] else title)}:
            labels = _distinct([row[0] if row else "" for row in rows])
            return (
                title,
                [header[0], *_distinct(header[1:])],
                [[label, *row[1:]] for label, row in zip(labels, rows, strict=True)],
            )
    return None


def _distinct(names):
    seen = {}
    distinct = []
    for name in names:
        key = "" if name is None else str(name)
        seen[key] = seen.get(key, 0) + 1
        distinct.append(name if seen[key] == 1 else f"{key} ({seen[key]})")
    return distinct


def spreadsheet_safe(sheets):
    """Titles without the characters spreadsheets refuse in a sheet's name ([]:*?/\\), e.g. '2024/25' ->
    '2024-25', and a sheet name for each within Excel's 31 characters, unique and readable
    (casework.exports.sheet_names): a long title is shortened by its own sheet name or by the ombudsman's
    short name, then cut at a word."""
    table = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
    titles = [str(title).translate(table) for title, *_ in sheets]
    names = sheet_names(
        [
            _short(entry[3] if len(entry) > 3 and entry[3] else title)
            for entry, title in zip(sheets, titles, strict=True)
        ]
    )
    return [
        (title, header, rows, name) for title, (_, header, rows, *_), name in zip(titles, sheets, names, strict=True)
    ]


SHORT_NAMES = {"Local Government and Social Care Ombudsman": "LGSCO"}


def _short(title):
    for long, short in SHORT_NAMES.items():
        title = title.replace(long, short)
    return title
