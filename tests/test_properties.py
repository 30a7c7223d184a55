"""Property-based tests: arbitrary bytes and Unicode never crash the loaders, the chunker, the fusion,
the text helpers or the answerer; every rejection is a one-line message."""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.chunking import chunk_document
from ingest.loaders import LoadError, load
from rag.answer import read_sentence
from rag.compose import overlap
from rag.engine import QuestionRejected
from rag.fusion import normalized_score_fusion, reciprocal_rank_fusion
from rag.question import Intent, analyze
from rag.text import clean_text, plain_text, sentence_text, sha256, split_sentences, terms
from rag.types import Audience, SourceDocument

from conftest import write_pdf

# Text as documents and questions may arrive: every plane, including control characters (NUL),
# right-to-left scripts, combining marks and emoji; NASTY adds a lone surrogate (what undecodable
# command-line bytes turn into), which hypothesis's own text strategies never produce.
ANY_TEXT = st.text(st.characters(), max_size=3000)
NASTY = st.sampled_from(
    [
        "\x00",
        "\x1b[31m",
        "\u202e",
        "\u200f",
        "\ufeff",
        "\u0301",
        "מה זה OEE",
        "ما هو OEE؟",
        "设备综合效率",
        "👷‍♀️🏭",
        "\udcff",
        "\r\n",
        "\t",
        "#",
        "## ",
        "---\n",
        "<script>",
        "&lt;b&gt;",
        "]]>",
        "\\",
        "' OR 1=1 --",
    ]
)
MIXED_TEXT = st.lists(st.one_of(ANY_TEXT, NASTY, st.just("\n\n"), st.just("## Section\n")), max_size=12).map("".join)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _one_line_reason(exc: LoadError) -> None:
    message = str(exc)
    assert message.strip(), "a rejection must say why"
    assert "\n" not in message, f"a rejection must be one line: {message!r}"
    assert "Traceback" not in message


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@pytest.fixture(scope="module")
def real_pdf(scratch: Path) -> bytes:
    path = write_pdf(
        scratch / "seed.pdf", ["Check the guard before every shift.", "Report downtime with a reason."], title="Seed"
    )
    return path.read_bytes()


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    """A real PDF with some bytes overwritten and the tail cut off: what a bad copy or upload looks like."""
    buffer = bytearray(data[: max(1, len(data) * cut // 100)])
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


def _check_load(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        doc = load(path, path.name, max_bytes=1_000_000)
    except LoadError as exc:
        _one_line_reason(exc)
        return
    assert isinstance(doc, SourceDocument)
    assert doc.text.strip()
    assert "\x00" not in doc.text and "\x00" not in doc.title
    assert doc.audience in set(Audience)


@PROPERTY
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".md", ".txt", ".html", ".pdf"]))
@example(data=b"", suffix=".md")
@example(data=b"\xff\xfe\x00\x00", suffix=".txt")
@example(data=b"---\n- a\n- b\n---\nbody", suffix=".md")
@example(data=b"---\ntitle: [unclosed\n---\nbody", suffix=".md")
@example(data=b"---\naudience: boss\n---\nbody", suffix=".md")
@example(data=b"---\ntags: {a: 1}\n---\nbody", suffix=".md")
@example(data=b"%PDF-1.7\n", suffix=".pdf")
@example(data=b"<html><body>" + b"<div>" * 3000 + b"deep" + b"</div>" * 3000, suffix=".html")
def test_any_bytes_load_or_fail_with_one_line_reason(scratch: Path, data: bytes, suffix: str) -> None:
    _check_load(scratch / f"doc{suffix}", data)


@PROPERTY
@given(
    text=MIXED_TEXT,
    suffix=st.sampled_from([".md", ".txt", ".html"]),
    front=st.one_of(st.just(""), MIXED_TEXT.map(lambda t: f"---\n{t}\n---\n")),
)
def test_any_unicode_document_loads_or_fails_with_one_line_reason(
    scratch: Path, text: str, suffix: str, front: str
) -> None:
    _check_load(scratch / f"text{suffix}", (front + text).encode("utf-8", "surrogatepass"))


@PROPERTY
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8), cut=st.integers(1, 100))
def test_damaged_pdfs_load_or_fail_with_one_line_reason(
    scratch: Path, real_pdf: bytes, edits: list[tuple[int, int]], cut: int
) -> None:
    _check_load(scratch / "damaged.pdf", _mutate(real_pdf, edits, cut))


# --- chunker -------------------------------------------------------------------------------------------

SIZE_OVERLAP = st.integers(200, 1200).flatmap(lambda size: st.tuples(st.just(size), st.integers(0, size - 1)))


def _document(text: str, fmt: str, page_breaks: list[int]) -> SourceDocument:
    pages: tuple[tuple[int, int], ...] = ()
    if fmt == "pdf":
        starts = sorted({0, *(b % max(1, len(text)) for b in page_breaks)})
        pages = tuple((start, number) for number, start in enumerate(starts, start=1))
    return SourceDocument(
        path="docs/any.md",
        text=text,
        title="Any",
        audience=Audience.WORKER,
        topic="t",
        tags=("x",),
        format=fmt,
        pages=pages,
    )


def _check_chunks(doc: SourceDocument, size: int, overlap: int) -> None:
    chunks = chunk_document(doc, size, overlap)
    again = chunk_document(doc, size, overlap)
    assert [c.id for c in chunks] == [c.id for c in again], "chunk ids must be stable"
    assert len({c.id for c in chunks}) == len(chunks), "chunk ids must be unique"
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text.strip(), "no empty chunks"
        assert len(chunk.text) <= size, (len(chunk.text), size)
        assert chunk.doc_path == doc.path and chunk.audience is doc.audience
    if _has_body(doc):
        assert chunks, "text with content must give at least one chunk"


def _has_body(doc: SourceDocument) -> bool:
    """Words outside Markdown heading lines (a document of headings alone has nothing to chunk).

    Lines are read as langchain's Markdown splitter reads them: stripped, non-printables dropped."""
    if doc.format == "pdf":
        return any(ch.isalnum() for ch in doc.text)
    lines = ("".join(filter(str.isprintable, line.strip())) for line in doc.text.split("\n"))
    return any(any(ch.isalnum() for ch in line) and not re.match(r"#{1,4}( |$)", line) for line in lines)


@PROPERTY
@given(
    text=MIXED_TEXT,
    size_overlap=SIZE_OVERLAP,
    fmt=st.sampled_from(["md", "txt", "html", "pdf"]),
    page_breaks=st.lists(st.integers(0, 10**5), max_size=5),
)
def test_chunks_are_bounded_non_empty_and_stable(
    text: str, size_overlap: tuple[int, int], fmt: str, page_breaks: list[int]
) -> None:
    _check_chunks(_document(text, fmt, page_breaks), *size_overlap)


@PROPERTY
@given(text=MIXED_TEXT, size_overlap=SIZE_OVERLAP)
def test_cleaned_text_chunks_the_same_way(text: str, size_overlap: tuple[int, int]) -> None:
    """What the loaders hand over (cleaned text) obeys the same bounds."""
    _check_chunks(_document(clean_text(text), "md", []), *size_overlap)


@pytest.mark.parametrize("unit", ["word ", "x", "👷‍♀️", "ش", "\u0301", "line\n", "# H\n"])
def test_huge_documents_chunk_within_bounds(unit: str) -> None:
    text = unit * (600_000 // len(unit))  # ~600 kB of one repeated unit, including no spaces at all
    _check_chunks(_document(text, "md", []), 900, 120)


# --- fusion ----------------------------------------------------------------------------------------------

SCORE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
RANKED = st.lists(st.tuples(st.text(max_size=6), SCORE), max_size=30, unique_by=lambda pair: pair[0])
WEIGHTS = st.floats(0, 100, allow_nan=False)


def _check_fused(fused: list[tuple[str, float]], lists: list[list[tuple[str, float]]]) -> None:
    ids = [item for item, _ in fused]
    assert len(ids) == len(set(ids)), "each item once"
    assert set(ids) == {item for ranked in lists for item, _ in ranked}, "nothing lost, nothing invented"
    scores = [score for _, score in fused]
    assert scores == sorted(scores, reverse=True), "best first"
    assert not any(math.isnan(score) for score in scores)


@PROPERTY
@given(
    lists=st.lists(RANKED, min_size=1, max_size=4),
    weights=st.lists(WEIGHTS, min_size=4, max_size=4),
    k=st.integers(1, 1000),
)
def test_rrf_keeps_every_item_once_and_bounds_scores(lists, weights, k) -> None:
    weights = weights[: len(lists)]
    fused = reciprocal_rank_fusion(lists, weights, k=k)
    _check_fused(fused, lists)
    assert all(0 <= score <= sum(weights) / (k + 1) + 1e-9 for _, score in fused)


@PROPERTY
@given(lists=st.lists(RANKED, min_size=1, max_size=4), weights=st.lists(WEIGHTS, min_size=4, max_size=4))
def test_normalized_fusion_keeps_every_item_once_and_bounds_scores(lists, weights) -> None:
    weights = weights[: len(lists)]
    fused = normalized_score_fusion(lists, weights)
    _check_fused(fused, lists)
    assert all(-1e-9 <= score <= sum(weights) + 1e-9 for _, score in fused)


@given(lists=st.lists(RANKED, min_size=1, max_size=3), extra=st.integers(1, 3))
def test_fusion_rejects_mismatched_weights_with_a_message(lists, extra) -> None:
    for fuse in (reciprocal_rank_fusion, normalized_score_fusion):
        with pytest.raises(ValueError, match="weights for"):
            fuse(lists, [1.0] * (len(lists) + extra))


# --- text helpers ----------------------------------------------------------------------------------------

LINE_BREAKS = {"\n", "\r", "\x85"}


@PROPERTY
@given(text=MIXED_TEXT)
@example(text="&lt;script&gt;alert(1)&lt;/script&gt;")
@example(text="&amp;lt;b&amp;gt;")
@example(text="<<script>script>alert(1)<</script>/script>")
@example(text="[click](<javascript:alert(1)>)")
@example(text="<" + "a" * 3000)
def test_plain_text_never_leaves_angle_brackets_or_markup(text: str) -> None:
    shown = plain_text(text)
    assert "<" not in shown and ">" not in shown
    assert shown == shown.strip() and "\n" not in shown
    sentence = sentence_text(text)
    assert "<" not in sentence and ">" not in sentence


@pytest.mark.parametrize(
    "text, shown",
    [
        ("- Report it", "Report it."),
        ('This trap is widely called "pilot purgatory."', 'This trap is widely called "pilot purgatory."'),
        ('Press the button marked "stop"', 'Press the button marked "stop".'),
    ],
)
def test_a_sentence_in_an_answer_ends_once(text: str, shown: str) -> None:
    assert sentence_text(text) == shown


@pytest.mark.parametrize(
    "text, shown",
    [
        ("<script>alert(1)</script> What is OEE?", "What is OEE?"),
        ("&lt;script&gt;alert(1)&lt;/script&gt; What is OEE?", "What is OEE?"),
        ("<STYLE type='text/css'>p { color: red }</STYLE>What is OEE?", "What is OEE?"),
    ],
)
def test_script_and_style_contents_are_code_not_words(text: str, shown: str) -> None:
    assert plain_text(text) == shown


@PROPERTY
@given(text=MIXED_TEXT)
@example(text="\udcff\udcfe what is OEE")
def test_clean_text_drops_control_characters_and_surrogates(text: str) -> None:
    cleaned = clean_text(text)
    assert not [ch for ch in cleaned if unicodedata.category(ch) in ("Cc", "Cs") and ch not in LINE_BREAKS]
    assert cleaned == cleaned.strip()
    assert "\n\n\n" not in cleaned
    assert unicodedata.is_normalized("NFKC", cleaned)


@PROPERTY
@given(text=MIXED_TEXT, question=MIXED_TEXT)
@example(text="ı ſ \u212a", question="")  # letters that fold to ASCII ones case-insensitively: no terms
def test_terms_sentences_and_overlap_are_well_formed(text: str, question: str) -> None:
    assert all(token and re.fullmatch(r"[0-9a-z']+", token) for token in terms(text))
    previous_end = 0
    for start, end in split_sentences(text):
        assert previous_end <= start < end <= len(text)
        assert text[start:end].strip()
        previous_end = end
    sentence = read_sentence(text)
    assert 0.0 <= overlap(frozenset(terms(question)), sentence.terms) <= 1.0
    assert overlap(sentence.terms, sentence.terms) == (1.0 if sentence.terms else 0.0)
    assert isinstance(analyze(question).intent, Intent)


@given(parts=st.lists(st.text(), max_size=4))
def test_sha256_is_stable_hex_for_any_text(parts: list[str]) -> None:
    digest = sha256(*parts)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and digest == sha256(*parts)


def test_sha256_accepts_lone_surrogates() -> None:
    """File names decoded with surrogateescape carry lone surrogates; hashing them must not fail."""
    assert sha256("bad\udcffname") != sha256("bad\udcfename")


# --- the answerer -------------------------------------------------------------------------------------

QUESTION = st.one_of(
    MIXED_TEXT, st.text(st.characters(), max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))
)


@settings(max_examples=300, deadline=None)
@given(question=QUESTION)
@example(question="\udcff\udcfe what is OEE")  # what a non-UTF-8 command-line argument decodes to
def test_validate_accepts_or_rejects_with_a_clear_message(shipped_engine, question: str) -> None:
    try:
        cleaned = shipped_engine.validate(question)
    except QuestionRejected as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    assert cleaned.strip() and len(cleaned) <= shipped_engine.answer_settings.max_question_chars
    assert any(ch.isalnum() for ch in cleaned)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=QUESTION)
@example(question="<script>alert('x')</script> what is OEE?")
@example(question="\x00\x00 downtime \u202e reason codes 🏭")
@example(question="\udcff\udcfe what is OEE")
def test_ask_answers_or_rejects_any_question(shipped_engine, question: str) -> None:
    try:
        answer = shipped_engine.ask(question, Audience.WORKER)
    except QuestionRejected as exc:
        assert str(exc).strip()
        return
    assert answer.text.strip()
    shown = [answer.text, *answer.suggestions, *(c.snippet for c in answer.citations)]
    assert not any("<" in part or ">" in part for part in shown), shown
    assert all(1 <= c.n <= len(answer.hits) for c in answer.citations)
    assert answer.interaction_id is not None, "every answer is logged"


# --- upload file names (trainer console) ------------------------------------------------------------------

PATH_PART = st.sampled_from(
    ["..", ".", "", "etc", "uploads", "corpus", "~", "C:", "\x00", "%2e%2e", "．．", "／", "…", "con", " ", "x" * 100]
)
SUFFIX = st.sampled_from(
    [".md", ".MD", ".pdf", ".txt", ".html", ".htm", ".markdown", ".exe", ".meta.yaml", ".md.exe", ".pdf ", "", "."]
)
UPLOAD_NAME = st.one_of(
    st.text(max_size=200),
    st.tuples(st.lists(PATH_PART, max_size=6), st.sampled_from(["/", "\\"]), st.text(max_size=20), SUFFIX).map(
        lambda t: t[1].join([*t[0], t[2]]) + t[3]
    ),
)
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(md|markdown|txt|html|htm|pdf)")


@PROPERTY
@given(name=UPLOAD_NAME)
@example(name="../../etc/passwd.md")
@example(name="..\\..\\corpus\\glossary.md")
@example(name="．．／．．／etc／passwd.md")
@example(name="/abs/notes.meta.yaml")
def test_upload_names_become_plain_names_or_a_clear_refusal(name: str) -> None:
    from ingest.manage import MAX_NAME_CHARS, ChangeRejected, safe_filename

    try:
        safe = safe_filename(name)
    except ChangeRejected as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    assert SAFE_NAME.fullmatch(safe), safe
    assert len(safe.rpartition(".")[0]) <= MAX_NAME_CHARS
    root = Path("/srv/corpus/uploads")
    assert (root / safe).resolve().parent == root


@pytest.fixture(scope="module")
def upload_manager(tmp_path_factory: pytest.TempPathFactory, embedder):
    from ingest.manage import CorpusManager
    from rag.config import Settings

    from conftest import build_ingestor, write_markdown

    root = tmp_path_factory.mktemp("uploads")
    corpus = root / "site" / "corpus"  # the test watches everything under site/: the corpus and its neighbours
    write_markdown(corpus / "keep.md", "Keep", "## Body\n\nThis file must never be overwritten by an upload.")
    (root / "site" / "outside.md").write_text("a file beside the corpus folder")
    settings = Settings(home=root / "home", corpus_dir=corpus)
    manager = CorpusManager(settings.console, build_ingestor(settings, embedder))
    manager.reingest()
    return manager


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(UPLOAD_NAME, min_size=1, max_size=3))
@example(names=["../outside.md", "../../keep.md", "keep.md", "keep.md"])
def test_uploads_never_write_outside_uploads_nor_overwrite(upload_manager, real_pdf: bytes, names: list[str]) -> None:
    from ingest.manage import DocumentInfo

    root = upload_manager.root
    before = _tree(root.parent)
    files = [
        (
            name,
            real_pdf
            if name.lower().rstrip().endswith(".pdf")
            else f"# Upload\n\n## Body\n\nUploaded as {name!r}.\n".encode("utf-8", "surrogatepass"),
        )
        for name in names
    ]
    results, _ = upload_manager.upload(files, DocumentInfo.parse("worker", "uploads"))
    after = _tree(root.parent)
    changed = {path for path in before if after.get(path) != before[path]}
    assert changed == set(), f"existing files changed: {changed}"
    created = set(after) - set(before)
    assert all(path.startswith("corpus/uploads/") for path in created), created
    saved = [r for r in results if r.doc_path]
    assert {f"corpus/{r.doc_path}" for r in saved} <= created
    for result in results:
        assert result.ok or (result.error.strip() and "\n" not in result.error), result
