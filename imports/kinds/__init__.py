"""The kinds of case a file can hold. Each kind is one module whose class (`KIND`) has:

- `name` (the command's KIND), `label`, `description`, `example` (a file under docs/examples/);
- `columns`: the `imports.core.Column` list, in the order the documentation shows them;
- `check(rows, context)`: parse and check every row, report problems through `context`, return a plan;
- `write(plan, context)`: write the plan with COPY (called in a transaction, only when nothing was wrong),
  returning how many cases it created;
- optionally `noun`: what its rows make, in the result's summary ("cases" unless it says otherwise).

Register a new kind by adding its module to KIND_MODULES."""

import importlib

KIND_MODULES = {
    "complaints": "imports.kinds.complaints",
    "enquiries": "imports.kinds.enquiries",
    "ombudsman-findings": "imports.kinds.ombudsman_findings",
    "survey-answers": "imports.kinds.survey_answers",
}


def get_kind(name):
    try:
        module = importlib.import_module(KIND_MODULES[name])
    except KeyError:
        raise ValueError(f"Unknown kind '{name}'; choose from {', '.join(KIND_MODULES)}.") from None
    return module.KIND()  # a fresh instance per import: a kind keeps what it loaded between check and write


def all_kinds():
    return [get_kind(name) for name in KIND_MODULES]
