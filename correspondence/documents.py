"""A letter drawn as a PDF (WeasyPrint, docs/decisions/0010-weasyprint-for-letters.md): the council's
letterhead, the address block where a window envelope shows it, the date and reference, then the words, laid
out by letter.css (beside this file; the large-print variant is its `large-print` class)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from casework.errors import NotAllowed


@dataclass(frozen=True)
class LetterDocument:
    title: str
    reference: str
    text: str
    addressee: str
    address_lines: tuple
    dated: object  # a date
    large_print: bool = False


STYLESHEET = Path(__file__).with_name("letter.css")


def letterhead():
    return {
        "name": settings.COUNCIL_NAME,
        "address_lines": [part.strip() for part in settings.COUNCIL_ADDRESS.split(",") if part.strip()],
        "phone": settings.COUNCIL_PHONE,
        "email": settings.COUNCIL_COMPLAINTS_EMAIL,
        "website": settings.COUNCIL_WEBSITE,
    }


def paragraphs(text):
    """The words as paragraphs of lines: a blank line starts a paragraph, a line break is kept."""
    blocks = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block.split("\n") for block in blocks if block.strip()]


def render_html(document):
    return render_to_string(
        "correspondence/letter_document.html",
        {
            "letter": document,
            "council": letterhead(),
            "paragraphs": paragraphs(document.text),
        },
    )


def render_pdf(document):
    try:
        from weasyprint import CSS, HTML
    except OSError as error:  # Pango missing: the message says which library
        raise NotAllowed(f"Letters cannot be made into PDFs on this server: {error}") from error
    return HTML(string=render_html(document)).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
