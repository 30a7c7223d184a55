"""Each loader on real files: Markdown, text, HTML, PDF (real fpdf2 files) and metadata sidecars."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import LoadError, load
from rag.types import Audience

from conftest import write_image_pdf, write_markdown, write_pdf

LIMIT = 10_000_000


def _load(path: Path, limit: int = LIMIT):
    return load(path, path.name, limit)


def _reason(path: Path, limit: int = LIMIT) -> str:
    with pytest.raises(LoadError) as caught:
        _load(path, limit)
    return str(caught.value)


# Markdown


def test_markdown_front_matter_becomes_metadata(tmp_path):
    path = tmp_path / "oee.md"
    path.write_text(
        '---\ntitle: "OEE for operators"\naudience: Worker\ntopic: OEE\ntags: [OEE, Availability]\n'
        "summary: What the score means.\n---\n# OEE for operators\n\n## What is it?\n\nA score.\n",
        encoding="utf-8",
    )
    doc = _load(path)
    assert doc.title == "OEE for operators"
    assert doc.audience is Audience.WORKER
    assert doc.topic == "oee"
    assert doc.tags == ("oee", "availability")
    assert doc.summary == "What the score means."
    assert doc.format == "md"
    assert "---" not in doc.text and "audience" not in doc.text
    assert "## What is it?" in doc.text


def test_markdown_without_front_matter_takes_title_from_heading_and_audience_all(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Andon basics\n\nPull the cord when something is wrong.\n", encoding="utf-8")
    doc = _load(path)
    assert doc.title == "Andon basics"
    assert doc.audience is Audience.ALL
    assert doc.tags == ()


def test_markdown_comma_separated_tags(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\ntags: oee, Downtime ,\n---\nBody text.\n", encoding="utf-8")
    assert _load(path).tags == ("oee", "downtime")


def test_markdown_invalid_yaml_front_matter_is_a_load_error(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\naudience: worker\n---\n# Broken\n\nBody.\n", encoding="utf-8")
    assert _reason(path).startswith("front matter is not valid YAML")


def test_markdown_unknown_audience_names_the_allowed_values(tmp_path):
    path = write_markdown(tmp_path / "a.md", "A", "Body.", audience="supervisors")
    reason = _reason(path)
    assert "supervisors" in reason
    assert "worker, manager, all" in reason


def test_markdown_tags_of_the_wrong_type_are_a_load_error(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\ntags: {a: 1}\n---\nBody.\n", encoding="utf-8")
    assert "tags" in _reason(path)


def test_markdown_with_only_front_matter_has_no_text(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\naudience: worker\n---\n\n", encoding="utf-8")
    assert _reason(path) == "no text found in file"


# Plain text


def test_text_file_loads_with_utf8_bom_and_control_characters_removed(tmp_path):
    path = tmp_path / "shift-notes.txt"
    path.write_bytes("\ufeffCheck the guard.\x00 Then start the line.\n".encode("utf-8"))
    doc = _load(path)
    assert doc.format == "txt"
    assert doc.text == "Check the guard. Then start the line."
    assert doc.title == "shift notes"  # from the file name when there is no heading
    assert doc.audience is Audience.ALL


def test_non_utf8_text_is_reported_with_the_byte(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 break at ten.".encode("latin-1"))
    reason = _reason(path)
    assert "not UTF-8" in reason and "0xe9" in reason


def test_empty_and_whitespace_files(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\t\n", encoding="utf-8")
    assert _reason(empty) == "empty file"
    assert _reason(blank) == "no text found in file"


def test_oversized_file_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 500, encoding="utf-8")
    assert _reason(path, limit=1000) == "file is 2.5 kB, over the 1.0 kB limit"
    assert _reason(path, limit=999) == "file is 2.5 kB, over the 999 bytes limit"
    assert _load(path, limit=5000).text.startswith("word word")


def test_unknown_extension(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert _reason(path).startswith("unsupported file type .docx")


# HTML

HTML = """<!DOCTYPE html>
<html><head>
<title>Starting your shift</title>
<meta name="audience" content="manager">
<meta name="topic" content="Shift-Start">
<meta name="tags" content="andon, login">
<meta name="description" content="A start-of-shift routine.">
<style>body { color: red; } .secret-style-rule {}</style>
<script>var trackingSecret = "do-not-index";</script>
</head><body>
<h1>Starting your shift</h1>
<p>Read the board first.</p>
<h2>Log in</h2>
<p>Use your <b>own</b> account.</p>
<h3>Passwords</h3>
<ul><li>Never share it.</li><li>Change it when asked.</li></ul>
<h4>Lockouts</h4>
<p>Call the help desk.<script>alert("inline")</script></p>
<noscript>Enable JavaScript</noscript>
<h2>Checks</h2>
<table><tr><td>First-piece check</td></tr></table>
</body></html>
"""


def test_html_keeps_text_and_drops_scripts_and_styles(tmp_path):
    path = tmp_path / "shift.html"
    path.write_text(HTML, encoding="utf-8")
    doc = _load(path)
    assert doc.format == "html"
    assert doc.title == "Starting your shift"
    assert doc.audience is Audience.MANAGER
    assert doc.topic == "shift-start"
    assert doc.tags == ("andon", "login")
    assert doc.summary == "A start-of-shift routine."
    for gone in ("trackingSecret", "do-not-index", "secret-style-rule", "alert", "Enable JavaScript", "<"):
        assert gone not in doc.text
    assert "Use your own account." in doc.text
    assert "- Never share it." in doc.text
    assert "First-piece check" in doc.text


def test_html_headings_h1_to_h4_become_sections(tmp_path):
    from ingest.chunking import chunk_document

    path = tmp_path / "shift.html"
    path.write_text(HTML, encoding="utf-8")
    doc = _load(path)
    for heading in ("# Starting your shift", "## Log in", "### Passwords", "#### Lockouts", "## Checks"):
        assert f"\n{heading}\n" in f"\n{doc.text}\n"
    # The Markdown header splitter joins a section's lines with "  \n" (a Markdown line break).
    sections = {c.section: " ".join(c.text.split()) for c in chunk_document(doc, 900, 120)}
    assert sections == {
        "": "Read the board first.",
        "Log in": "Use your own account.",
        "Log in > Passwords": "- Never share it. - Change it when asked.",
        "Log in > Passwords > Lockouts": "Call the help desk.",
        "Checks": "First-piece check",
    }


def test_html_with_only_scripts_has_no_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><script>var a = 1;</script></head><body><style>p{}</style></body></html>", encoding="utf-8"
    )
    assert _reason(path) == "no text found in file"


# PDF


def test_pdf_keeps_page_numbers_and_skips_blank_pages(tmp_path):
    path = write_pdf(
        tmp_path / "card.pdf",
        ["OEE is availability times performance times quality.", "", "Reason codes say why a machine stopped."],
    )
    doc = _load(path)
    assert doc.format == "pdf"
    assert [page for _, page in doc.pages] == [1, 3]
    first_start, third_start = (start for start, _ in doc.pages)
    assert doc.text[first_start:].startswith("OEE is availability")
    assert doc.text[third_start:].startswith("Reason codes say why")


def test_pdf_metadata_title_and_fallback(tmp_path):
    titled = write_pdf(tmp_path / "titled.pdf", ["Some text."], title="OEE quick card")
    untitled = write_pdf(tmp_path / "pilot-checklist.pdf", ["Some text."])
    assert _load(titled).title == "OEE quick card"
    assert _load(untitled).title == "pilot checklist"
    assert _load(untitled).audience is Audience.ALL


def test_pdf_sidecar_metadata_wins_over_pdf_metadata(tmp_path):
    path = write_pdf(tmp_path / "card.pdf", ["Some text."], title="Title inside the PDF")
    (tmp_path / "card.pdf.meta.yaml").write_text(
        "title: Title from the sidecar\naudience: worker\ntopic: OEE\ntags: [oee, quick-card]\nsummary: One page.\n",
        encoding="utf-8",
    )
    doc = _load(path)
    assert doc.title == "Title from the sidecar"
    assert doc.audience is Audience.WORKER
    assert doc.topic == "oee"
    assert doc.tags == ("oee", "quick-card")
    assert doc.summary == "One page."


def test_sidecar_applies_to_html_and_text_too(tmp_path):
    html = tmp_path / "page.html"
    html.write_text(HTML, encoding="utf-8")
    (tmp_path / "page.html.meta.yaml").write_text("audience: worker\n", encoding="utf-8")
    text = tmp_path / "notes.txt"
    text.write_text("Plain notes.", encoding="utf-8")
    (tmp_path / "notes.txt.meta.yaml").write_text("title: Shift notes\naudience: manager\n", encoding="utf-8")
    assert _load(html).audience is Audience.WORKER  # the sidecar overrides the <meta> tag
    assert (_load(text).title, _load(text).audience) == ("Shift notes", Audience.MANAGER)


@pytest.mark.parametrize(
    "content, expected",
    [
        ("title: [unclosed\n", "is not valid YAML"),
        ("- just\n- a list\n", "must hold key: value pairs"),
        ("audience: everyone\n", "unknown audience 'everyone'"),
    ],
)
def test_bad_sidecar_is_a_load_error(tmp_path, content, expected):
    path = write_pdf(tmp_path / "card.pdf", ["Some text."])
    (tmp_path / "card.pdf.meta.yaml").write_text(content, encoding="utf-8")
    assert expected in _reason(path)


def test_encrypted_pdf_needing_a_password(tmp_path):
    path = write_pdf(tmp_path / "locked.pdf", ["Secret plan."], user_password="s3cret")
    assert _reason(path) == "encrypted PDF: it needs a password; save an unprotected copy"


def test_pdf_with_only_an_owner_password_opens(tmp_path):
    path = write_pdf(tmp_path / "restricted.pdf", ["Printing is restricted but reading is not."], user_password="")
    assert "reading is not" in _load(path).text


def test_image_only_and_blank_pdfs_have_no_text(tmp_path):
    scanned = write_image_pdf(tmp_path / "scan.pdf", pages=2)
    blank = write_pdf(tmp_path / "blank.pdf", ["", ""])
    for path in (scanned, blank):
        assert _reason(path) == "PDF has no extractable text (scanned or image-only?): run OCR first"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\nthis is not a pdf body at all",
        b"not a pdf at all, just bytes",
    ],
)
def test_corrupt_pdf(tmp_path, content):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(content)
    assert _reason(path).startswith("corrupt or unreadable PDF")


def test_truncated_pdf(tmp_path):
    good = write_pdf(tmp_path / "good.pdf", ["A real page of text. " * 20])
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good.read_bytes()[:300])
    assert _reason(truncated).startswith("corrupt or unreadable PDF")
