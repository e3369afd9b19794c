"""Reports as spreadsheet tables: each report becomes a list of (title, header, rows) for XLSX (a sheet
each) and, flattened to (table, row, column, value), for CSV. Written through casework.exports, which
neutralises spreadsheet formulas in free text."""


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
            "Upheld last year",
            "Upheld",
            "Upheld variance",
            "% upheld variance",
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
                "Within timescale",
                "CH02(1) %",
                "Stage 2 responded",
                "Within timescale",
                "CH02(2) %",
                "Survey answers",
                "Satisfied",
                "TP09 %",
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
                    m["survey_answers"],
                    m["satisfied"],
                    _pct(m["tp09"]),
                ]
                for m in data["measures"]
            ],
        )
    ]


def annual_sheets(data):
    refusals = data["refusals"]
    trend_rows = []
    for year in data["trend"]:
        for stage in year["stages"]:
            trend_rows.append(
                [year["financial_year"], stage["stage"], stage["received"], _pct(stage["average_working_days"])]
            )
    return [
        _headline_sheet(data),
        (
            "Resolved by stage",
            ["Stage", "Complaints", "%"],
            [[r["stage"], r["complaints"], _pct(r["percent"])] for r in data["resolution_by_stage"]],
        ),
        ("Five years", ["Financial year", "Stage", "Received", "Average working days"], trend_rows),
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
    ]


def self_assessment_sheets(data):
    return [
        (
            f"Self-assessment {data['financial_year']}",
            ["Section", "Question", "Answer from the data", "Figure"],
            [[q["section"], q["question"], q["answer"], _pct(q["figure"])] for q in data["questions"]],
        )
    ]


def as_long_rows(sheets):
    """Every sheet's cells as (table, row label, column, value), for one CSV of a whole report."""
    for title, header, rows in sheets:
        for row in rows:
            for column, value in zip(header[1:], row[1:], strict=False):
                yield [title, row[0], column, value]


def spreadsheet_safe(sheets):
    """Sheet titles without the characters spreadsheets refuse ([]:*?/\\), e.g. '2024/25' -> '2024-25'."""
    table = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
    return [(str(title).translate(table), header, rows) for title, header, rows in sheets]
