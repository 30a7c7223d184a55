"""Bad files in the corpus: each is reported by path with a one-line reason, the rest of the ingest
goes on, and nothing already stored is lost."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

from click.testing import CliRunner

from playbook_coach.cli import cli
from rag.catalog import Catalog
from rag.types import Audience

from conftest import assert_store_matches_catalog, write_image_pdf, write_markdown, write_pdf

GOOD_PDF_TEXT = (
    "Before restarting a cobot cell, walk the cell and confirm the floor markings are clear. "
    "Reset the safety scanner only after the cell is empty."
)


def _random_bytes(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _bad_files(corpus: Path, real_pdf: bytes, max_bytes: int) -> dict[str, str]:
    """Write every kind of bad file; return {path: a word the reason must contain}."""
    write_pdf(corpus / "bad/encrypted.pdf", ["Secret torque values."], user_password="s3cret")
    write_pdf(corpus / "bad/blank-pages.pdf", ["", "", ""])
    write_image_pdf(corpus / "bad/scanned.pdf", pages=2)
    docx = corpus / "bad/notes.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    _write(corpus / "bad/yaml-broken.pdf.meta.yaml", "title: [unclosed\n  - : :\n")
    write_pdf(corpus / "bad/yaml-broken.pdf", ["A fine page whose metadata file is broken."])
    files = {
        "bad/corrupt.pdf": (b"%PDF-1.7\n" + _random_bytes(5000, 1), "PDF"),
        "bad/truncated.pdf": (real_pdf[: len(real_pdf) // 2], "PDF"),
        "bad/huge.pdf": (real_pdf + b"%" + b"0" * (max_bytes + 1), "limit"),
        "bad/empty.md": (b"", "empty"),
        "bad/empty.pdf": (b"", "empty"),
        "bad/empty.txt": (b"", "empty"),
        "bad/empty.html": (b"", "empty"),
        "bad/whitespace.txt": (b"   \n\n\t  \n", "no text"),
        "bad/only-script.html": (b"<html><head><script>alert(1)</script></head><body> </body></html>", "no text"),
        "bad/pdf-named.md": (real_pdf, "UTF-8"),
        "bad/text-named.pdf": (b"This is plain text, saved with the wrong extension.\n", "PDF"),
        "bad/latin1.txt": ("Überprüfung der Schutzeinrichtung vor Schichtbeginn.".encode("latin-1"), "UTF-8"),
        "bad/utf16.md": ("# Title\n\nSome text in UTF-16.".encode("utf-16"), "UTF-8"),
        "bad/binary.txt": (_random_bytes(3000, 2), "UTF-8"),
        "bad/front-matter.md": (b"---\ntitle: [unclosed\naudience: worker\n---\n# T\n\nBody text.", "front matter"),
        "bad/audience.md": (b"---\ntitle: T\naudience: boss\n---\n# T\n\nBody text.", "audience"),
        "bad/tags.md": (b"---\ntitle: T\ntags: {a: 1}\n---\n# T\n\nBody text.", "tags"),
        "bad/program.exe": (b"MZ\x90\x00" + _random_bytes(500, 3), "unsupported"),
        "bad/README": (b"no extension at all", "unsupported"),
    }
    for name, (data, _) in files.items():
        _write(corpus / name, data)
    return {
        **{name: word for name, (_, word) in files.items()},
        "bad/encrypted.pdf": "encrypted",
        "bad/blank-pages.pdf": "no extractable text",
        "bad/scanned.pdf": "no extractable text",
        "bad/notes.docx": "unsupported",
        "bad/yaml-broken.pdf": "YAML",
    }


def _nested_html(depth: int, text: str) -> str:
    nested = f"{'<div>' * depth}<p>{text}</p>{'</div>' * depth}"
    return f"<html><head><title>Nested</title></head><body>{nested}</body></html>"


def test_bad_files_are_reported_one_by_one_and_nothing_stored_is_lost(
    tmp_path, settings, corpus_dir, make_ingestor, make_engine
):
    write_markdown(
        corpus_dir / "a-good.md",
        "Andon basics",
        "## Pulling the cord\n\nPull the andon cord when a part is out of tolerance. The team lead "
        "comes within two minutes.",
        "worker",
        "andon",
    )
    real_pdf = write_pdf(corpus_dir / "cobot-restart.pdf", [GOOD_PDF_TEXT], title="Cobot restart").read_bytes()
    first = make_ingestor(settings).run()
    assert sorted(first.added) == ["a-good.md", "cobot-restart.pdf"] and not first.failed
    catalog = Catalog(settings.catalog_path)
    stored_before = {path: {c.id for c in catalog.chunks(path)} for path in catalog.files()}

    expected = _bad_files(corpus_dir, real_pdf, settings.max_file_bytes)
    # A stored document replaced by a broken copy: reported, and its last good version stays live.
    (corpus_dir / "cobot-restart.pdf").write_bytes(real_pdf[:200])
    expected["cobot-restart.pdf"] = "PDF"
    # Good files ingested in the same run, sorted among the bad ones.
    write_markdown(
        corpus_dir / "bad/m-good.md",
        "Downtime codes",
        "## Choosing a reason code\n\nPick the downtime reason code that names the cause, not the symptom.",
        "worker",
        "downtime",
    )
    _write(corpus_dir / "bad/deeply-nested.html", _nested_html(5000, "Deep inside: check the guard interlock daily."))

    report = make_ingestor(settings).run()

    reasons = {failure.path: failure.reason for failure in report.failed}
    assert set(reasons) == set(expected), set(reasons) ^ set(expected)
    for path, word in expected.items():
        reason = reasons[path]
        assert word.lower() in reason.lower(), (path, reason)
        assert reason.strip() and "\n" not in reason and "Traceback" not in reason, (path, reason)
    assert sorted(report.added) == ["bad/deeply-nested.html", "bad/m-good.md"]
    assert report.updated == [] and report.removed == []

    catalog = Catalog(settings.catalog_path)
    for path, ids in stored_before.items():
        assert {c.id for c in catalog.chunks(path)} == ids, f"{path} lost its stored chunks"
    assert_store_matches_catalog(settings)
    nested = catalog.chunks("bad/deeply-nested.html")
    assert nested and "guard interlock" in nested[0].text

    answer = make_engine(settings).ask("How do I restart a cobot cell safely?", Audience.WORKER)
    assert not answer.abstained and answer.citations[0].source == "cobot-restart.pdf"

    # The command line reports the same failures, as JSON, and exits 0: the run itself finished.
    result = CliRunner().invoke(
        cli,
        ["ingest", "--json"],
        env={"PLAYBOOK_COACH_HOME": str(settings.home), "PLAYBOOK_COACH_CORPUS_DIR": str(corpus_dir)},
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {f["path"]: f["reason"] for f in summary["failed"]} == reasons
    assert summary["chunks_embedded"] == 0 and summary["added"] == [] and summary["removed"] == []
    assert_store_matches_catalog(settings)
    assert sum(len(ids) for ids in stored_before.values()) + len(nested) + len(catalog.chunks("bad/m-good.md")) == len(
        catalog.chunk_ids()
    )


def test_a_missing_path_is_reported_and_the_rest_is_ingested(settings, corpus_dir, make_ingestor):
    write_markdown(corpus_dir / "ok.md", "OK", "## Body\n\nA passage about torque checks at every shift start.")
    report = make_ingestor(settings).run([corpus_dir / "ok.md", corpus_dir / "missing.md", corpus_dir / "gone"])
    assert report.added == ["ok.md"]
    assert {f.reason for f in report.failed} == {"no such file or directory"} and len(report.failed) == 2


def test_a_file_that_turns_bad_keeps_its_old_version_until_fixed(settings, corpus_dir, make_ingestor, make_engine):
    good = "## Lockout\n\nApply your own padlock to the isolator before you reach into the press."
    path = write_markdown(corpus_dir / "lockout.md", "Lockout", good, "worker", "safety")
    make_ingestor(settings).run()
    ids = Catalog(settings.catalog_path).chunk_ids()

    path.write_bytes("---\ntitle: Lockout\n---\n# Lockout\n\nÜber".encode("latin-1"))  # saved in the wrong encoding
    report = make_ingestor(settings).run()
    assert [f.path for f in report.failed] == ["lockout.md"] and "UTF-8" in report.failed[0].reason
    assert Catalog(settings.catalog_path).chunk_ids() == ids
    answer = make_engine(settings).ask("Whose padlock goes on the isolator?", Audience.WORKER)
    assert not answer.abstained and answer.citations[0].source == "lockout.md"

    write_markdown(corpus_dir / "lockout.md", "Lockout", good + " Then try the start button.", "worker", "safety")
    fixed = make_ingestor(settings).run()
    assert fixed.updated == ["lockout.md"] and not fixed.failed
    assert Catalog(settings.catalog_path).chunk_ids() != ids
    assert_store_matches_catalog(settings)
