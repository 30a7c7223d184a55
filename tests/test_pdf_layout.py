"""A PDF's headings, read from its type (real fpdf2 files): sections for PDFs as for Markdown."""

from __future__ import annotations

from ingest.chunking import chunk_document, sections
from ingest.loaders import load
from ingest.pdf_layout import Line, headings

from conftest import write_pdf, write_styled_pdf

LIMIT = 10_000_000
BODY = "OEE is built from three factors that are multiplied together. " * 3


def _load(path):
    return load(path, path.name, LIMIT)


def test_headings_in_larger_or_bold_type_cut_the_pdf_into_sections(tmp_path):
    doc = _load(
        write_styled_pdf(
            tmp_path / "card.pdf",
            [
                [
                    ("title", "OEE quick card"),
                    ("heading", "What is OEE?"),
                    ("body", BODY),
                    ("heading", "What is a good OEE score?"),
                    ("body", "An OEE above 85% is often called world class."),
                    ("bold", "Watch the trend"),
                    ("body", "The trend matters more than one day's number."),
                ]
            ],
        )
    )
    assert doc.title == "OEE quick card"  # the title set large, as the PDF has no title of its own
    assert [(h.level, h.text) for h in doc.headings] == [
        (1, "OEE quick card"),
        (2, "What is OEE?"),
        (2, "What is a good OEE score?"),
        (3, "Watch the trend"),
    ]
    assert all(doc.text[h.start : h.end] == h.text for h in doc.headings)
    assert [(section, text[:20]) for section, text, _ in sections(doc)] == [
        ("What is OEE?", "OEE is built from th"),
        ("What is a good OEE score?", "An OEE above 85% is "),
        ("What is a good OEE score? > Watch the trend", "The trend matters mo"),
    ]


def test_a_section_running_onto_the_next_page_keeps_its_heading_there(tmp_path):
    doc = _load(
        write_styled_pdf(
            tmp_path / "huddle.pdf",
            [
                [("heading", "What makes a huddle work well?"), ("body", "Start and finish on time.")],
                [("body", "Thank people who raise problems."), ("heading", "Where can we get help?"), ("body", BODY)],
            ],
        )
    )
    chunks = chunk_document(doc, 400, 0)
    assert [(c.page, c.section, c.text[:16]) for c in chunks] == [
        (1, "What makes a huddle work well?", "Start and finish"),
        (2, "What makes a huddle work well?", "Thank people who"),
        (2, "Where can we get help?", "OEE is built fro"),
    ]
    assert not any("What makes" in c.text or "Where can" in c.text for c in chunks)  # headings are not text


def test_a_heading_set_over_two_lines_is_one(tmp_path):
    long_title = "Pilot planning checklist: your first smart manufacturing pilot for a plant of any size today"
    doc = _load(write_styled_pdf(tmp_path / "pilot.pdf", [[("title", long_title), ("body", BODY)]]))
    assert [h.text for h in doc.headings] == [long_title]


def test_text_set_alike_has_no_headings(tmp_path):
    plain = _load(write_pdf(tmp_path / "plain.pdf", ["What is OEE?\n" + BODY]))
    bold = _load(write_styled_pdf(tmp_path / "bold.pdf", [[("bold", "What is OEE?"), ("bold", BODY)]]))
    assert plain.headings == () and bold.headings == ()  # bold marks nothing when the body is bold too
    assert [section for section, _, _ in sections(plain)] == [""]


def test_list_items_and_long_lines_are_never_headings_and_numbered_ones_set_large_are():
    body = Line("Body text set in the usual size. " * 4, 10.0, False)
    item = Line("- Check the guards are in place.", 10.0, True)
    step = Line("1. Lock out the machine.", 10.0, True)
    numbered = Line("2. Choose the problem", 12.5, True)
    long_bold = Line("A paragraph set in bold for emphasis, running on far longer than a heading. " * 2, 10, True)
    first, second = Line("What is OEE?", 12.5, True), Line("What is a good score?", 12.5, True)
    assert headings([[first, body, item, step, long_bold, numbered, body, second, body]]) == [
        [(2, "What is OEE?"), (2, "2. Choose the problem"), (2, "What is a good score?")]
    ]
