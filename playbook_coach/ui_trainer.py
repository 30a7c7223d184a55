"""The trainer console's sections: insights, upload, documents, feedback, corpus health.

Only called after ``ui.trainer_gate`` has let a trainer in. Every privileged action is an
``if st.button(...)`` (or form submit) inside these functions, so none can run before the gate.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

import altair as alt
import streamlit as st

from evals.feedback import DraftCases, case_id
from evals.impact import CaseChange, changes
from evals.runner import CaseResult, load_cases, run_cases
from ingest.audit import AuditLog
from ingest.check import CheckReport, check_corpus
from ingest.manage import ChangeRejected, CorpusManager, DocumentInfo
from ingest.reports import IngestReport
from ingest.services import Services
from ingest.verified import MAX_ANSWER_CHARS, MAX_NAME_CHARS, MAX_QUESTION_CHARS
from playbook_coach.ui import (
    STORE_DOWN,
    counted,
    escape_markdown,
    ingest_progress,
    local_time,
    shortened,
    trainer_name,
    verified_line,
)
from rag.config import Settings
from rag.insights import Insights
from rag.interactions import Interaction, ReviewStatus
from rag.store import StoreUnavailable
from rag.types import Audience, Turn

logger = logging.getLogger("playbook_coach.ui")
AUDIENCES = {"worker": "Workers", "manager": "Managers", "all": "Everyone"}
_FLASH = "trainer_flash"
_UPLOAD_ROUND = "upload_round"
_CHECK = "corpus_check"
_UPLOAD_IMPACT, _REPLACE_IMPACT = "upload_impact", "replace_impact"  # golden questions a change moved
Changed = TypeVar("Changed")


# Messages that survive the rerun after an action
def flash(kind: str, message: str) -> None:
    st.session_state[_FLASH] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop(_FLASH, (None, ""))
    if kind == "success":
        st.success(escape_markdown(message), icon=":material/check_circle:")
    elif kind == "error":
        st.error(escape_markdown(message))


@contextmanager
def _reported() -> Iterator[None]:
    """A failed trainer action becomes a message, shown after the rerun like a success would be."""
    try:
        yield
    except ChangeRejected as exc:
        flash("error", str(exc))
    except StoreUnavailable as exc:
        logger.warning("store unavailable: %s", exc)
        flash("error", STORE_DOWN)
    except OSError as exc:
        logger.exception("trainer action failed")
        flash("error", f"Could not change the files: {exc.strerror or exc}")


def _guarded(action: Callable[[], object], done: str) -> None:
    """Run a trainer action, then rerun so every list on the page is up to date, with the outcome on top."""
    with _reported():
        action()
        flash("success", done)
    st.rerun()


def _report_line(report: IngestReport) -> str:
    return (
        f"added {len(report.added)}, updated {len(report.updated)}, removed {len(report.removed)}, "
        f"unchanged {len(report.unchanged)}, failed {len(report.failed)}; {report.chunks_total} passages live"
    )


# Upload
def upload_megabytes(manager: CorpusManager) -> int:
    """The upload limit as the file pickers state and enforce it (whole MB; the exact limit is checked on saving)."""
    return max(1, math.ceil(manager.console.max_upload_bytes / 2**20))


def upload_section(services: Services, golden: Path) -> None:
    """Upload and ingest; optionally see which golden questions the upload changed; try questions on the result."""
    _upload_form(services, golden)
    _changed_golden_questions("Golden questions the last upload changed", _UPLOAD_IMPACT)
    _try_it(services)


def _upload_form(services: Services, golden: Path) -> None:
    manager = services.corpus
    limit = manager.console.max_upload_bytes
    round_ = st.session_state.setdefault(_UPLOAD_ROUND, 0)  # a new round empties the file picker
    with st.form(f"upload-{round_}"):
        files = st.file_uploader(
            f"PDF, Markdown, text or HTML files, up to {limit / 2**20:.3g} MB each",
            type=["pdf", "md", "markdown", "txt", "html", "htm"],
            accept_multiple_files=True,
            max_upload_size=upload_megabytes(manager),
        )
        audience = st.selectbox("Who is it for?", list(AUDIENCES), format_func=AUDIENCES.get)
        topic = st.text_input("Topic", placeholder="for example: oee")
        tags = st.text_input("Tags, separated by commas", placeholder="for example: availability, downtime")
        described = _description_inputs("", "")
        compare = st.checkbox(
            "Show which golden questions it changes (asks them before and after: about a minute)", key="compare-golden"
        )
        submitted = st.form_submit_button("Upload and ingest", icon=":material/upload:")
    if not submitted:
        return
    if not files:
        st.warning("Choose at least one file first.")
        return
    try:
        info = DocumentInfo.parse(audience, topic, tags, *described)
    except ChangeRejected as exc:
        st.error(escape_markdown(str(exc)))
        return
    progress, done = ingest_progress("Ingesting")
    try:
        results, report = _compared(
            services,
            golden,
            _UPLOAD_IMPACT if compare else None,
            lambda: manager.upload([(f.name, f.getvalue()) for f in files], info, progress, by=trainer_name()),
        )
    except StoreUnavailable:
        st.error(STORE_DOWN)
        return
    except OSError as exc:
        logger.exception("upload failed")
        st.error(escape_markdown(f"Could not save the files: {exc.strerror or exc}"))
        return
    finally:
        done()
    for result in results:
        if result.ok:
            st.success(escape_markdown(f"{result.name}: saved as {result.doc_path} and ready to be asked about."))
        else:
            st.error(escape_markdown(f"{result.name}: {result.error}"))
    if report is not None:
        st.caption(escape_markdown(_report_line(report)))
    st.session_state[_UPLOAD_ROUND] = round_ + 1


def _compared(services: Services, golden: Path, key: str | None, change: Callable[[], Changed]) -> Changed:
    """Make the change; with a ``key``, the golden questions are asked before and after it, and those it
    changed are kept under that key to be shown."""
    before = _golden_results(services, golden, "before the change") if key else None
    result = change()
    if key and before is not None:
        st.session_state[key] = changes(before, _golden_results(services, golden, "after the change"))
    return result


def _golden_results(services: Services, golden: Path, when: str) -> list[CaseResult]:
    with st.spinner(f"Asking the golden questions {when}…"):
        return run_cases(services.engine, load_cases(golden))


def _changed_golden_questions(title: str, key: str) -> None:
    found: list[CaseChange] | None = st.session_state.get(key)
    if found is None:
        return
    st.subheader(title)
    if not found:
        st.caption("None: every golden question got the same sources and the same answer as before.")
    for change in found:
        with st.expander(escape_markdown(change.question)):
            then, now = st.columns(2)
            for column, title, view in ((then, "Before", change.before), (now, "After", change.after)):
                column.markdown(f"**{title}**")
                column.caption(escape_markdown(" · ".join(view.sources) or "no sources"))
                column.text(view.answer)


def _try_it(services: Services) -> None:
    """Ask the playbook as it is now, as a worker or a manager would; the question is not logged."""
    with st.form("try-it"):
        st.markdown("**Try it**: ask what workers will ask, on the playbook as it is now (not logged)")
        question = st.text_input("Question", key="try-question")
        audience = st.selectbox(
            "Asked by", ["worker", "manager"], format_func=AUDIENCES.__getitem__, key="try-audience"
        )
        asked = st.form_submit_button("Ask")
    if not asked or not question.strip():
        return
    try:
        answer = services.engine.ask(question, Audience(audience), logged=False)
    except ValueError as exc:  # refused as typed
        st.warning(escape_markdown(str(exc)))
        return
    st.text(answer.text)
    if answer.citations:
        st.caption(escape_markdown(" · ".join(f"[{c.n}] {c.source} › {c.section or '–'}" for c in answer.citations)))


# Documents
def documents_section(services: Services, golden: Path) -> None:
    manager = services.corpus
    documents = manager.documents()
    st.caption(f"{counted(len(documents), 'document')}, {counted(sum(d.n_chunks for d in documents), 'passage')}")
    if documents:
        st.dataframe(
            [
                {
                    "Title": d.title,
                    "For": AUDIENCES.get(d.audience, d.audience),
                    "Topic": d.topic,
                    "Passages": d.n_chunks,
                    "Last ingested": d.ingested_at,
                }
                for d in documents
            ],
            hide_index=True,
        )
        titles = {d.path: f"{d.title} ({d.path})" for d in documents}
        chosen = st.selectbox(
            "Choose a document to preview or change", list(titles), index=None, format_func=titles.get, key="document"
        )
        if chosen is not None:
            _document_actions(services, chosen, golden)
    _changed_golden_questions("Golden questions the last replacement changed", _REPLACE_IMPACT)
    _reingest(manager)


def _description_inputs(title: str, summary: str) -> tuple[str, str, str]:
    """Title, summary and sources: optional. Left empty, an upload keeps what the file says or gets them from
    the file (its first heading, its opening sentences, the upload itself), so the corpus check is satisfied."""
    with st.expander("Title, summary and sources (optional: left empty, they come from the file)"):
        return (
            st.text_input("Title", value=title, placeholder="the file's first heading or name"),
            st.text_area("Summary", value=summary, placeholder="the file's opening sentences", height=80),
            st.text_area(
                "Sources, one per line",
                height=80,
                placeholder="where it comes from: a link or a document (else: this upload)",
            ),
        )


def _document_actions(services: Services, doc_path: str, golden: Path) -> None:
    manager = services.corpus
    try:
        record = manager.document(doc_path)
    except ChangeRejected as exc:
        st.warning(escape_markdown(str(exc)))
        return
    current = DocumentInfo.of(record)
    st.caption(
        escape_markdown(
            f"{doc_path} · for {AUDIENCES.get(record.audience, record.audience)} · "
            f"topic {record.topic or '–'} · tags {', '.join(record.tags) or '–'}"
        )
    )
    upkeep = record.upkeep
    due = f"review by {upkeep.review_by}" if upkeep.review_by else "no review date"
    owner = f" · owner {upkeep.owner}" if upkeep.owner else ""
    (st.warning if upkeep.overdue(date.today()) else st.caption)(escape_markdown(f"{due.capitalize()}{owner}"))
    if st.button(
        f"Mark reviewed: next review in {manager.console.review_interval_days} days",
        key=f"reviewed-{doc_path}",
        icon=":material/event_available:",
    ):
        _guarded(lambda: manager.mark_reviewed(doc_path, by=trainer_name()), f"Marked {doc_path} reviewed.")
    with st.expander(f"Preview its {counted(record.n_chunks, 'passage')}"):
        for chunk in manager.chunks(doc_path):
            where = " › ".join(p for p in (chunk.section, f"page {chunk.page}" if chunk.page else "") if p)
            flagged = f" · quarantined: {chunk.flagged}" if chunk.flagged else ""
            st.caption(escape_markdown(f"#{chunk.ordinal + 1} {where}{flagged}"))
            st.text(chunk.text)
    with st.form(f"retag-{doc_path}"):
        st.markdown("**Retag**")
        audience = st.selectbox(
            "Who is it for?",
            list(AUDIENCES),
            format_func=AUDIENCES.get,
            index=list(AUDIENCES).index(current.audience.value),
        )
        topic = st.text_input("Topic", value=current.topic)
        tags = st.text_input("Tags, separated by commas", value=", ".join(current.tags))
        described = _description_inputs(record.title, record.summary)
        if st.form_submit_button("Save tags"):
            _guarded(
                lambda: manager.retag(
                    doc_path, DocumentInfo.parse(audience, topic, tags, *described), by=trainer_name()
                ),
                f"Saved the tags of {doc_path}.",
            )
    with st.form(f"replace-{doc_path}", clear_on_submit=True):
        st.markdown("**Replace with a new version**")
        suffix = Path(doc_path).suffix.lower().lstrip(".")
        new_file = st.file_uploader(
            f"New version (.{suffix})", type=[suffix], max_upload_size=upload_megabytes(manager)
        )
        compare = st.checkbox("Show which golden questions it changes (about a minute)", key=f"compare-{doc_path}")
        if st.form_submit_button("Replace"):
            if new_file is None:
                st.warning("Choose the new version first.")
            else:
                key = _REPLACE_IMPACT if compare else None
                _guarded(
                    lambda: _compared(
                        services,
                        golden,
                        key,
                        lambda: manager.replace(doc_path, new_file.getvalue(), current, by=trainer_name()),
                    ),
                    f"Replaced {doc_path}.",
                )
    st.markdown("**Delete**")
    sure = st.checkbox(f"Yes, I am sure: delete the file {doc_path} and its metadata", key=f"sure-{doc_path}")
    if st.button("Delete document", icon=":material/delete:", disabled=not sure, key=f"delete-{doc_path}"):
        _guarded(
            lambda: manager.delete(doc_path, by=trainer_name()),
            f"Deleted {doc_path}; its passages are gone from answers.",
        )


def _reingest(manager: CorpusManager) -> None:
    st.markdown("**Re-ingest**")
    st.caption("Picks up files changed in the corpus folder outside this console.")
    rebuild = st.checkbox("Re-embed every file, changed or not (slow)", key="rebuild")
    if st.button("Re-ingest the corpus", icon=":material/sync:"):
        progress, done = ingest_progress("Ingesting")
        with _reported():
            report = manager.reingest(rebuild=rebuild, progress=progress)
            failures = "".join(f"\n- {f.path}: {f.reason}" for f in report.failed)
            flash("error" if report.failed else "success", f"Re-ingested: {_report_line(report)}{failures}")
        done()
        st.rerun()


# Insights
INSIGHT_PERIODS = {"Today": 1, "Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90}


def insights_section(services: Services) -> None:
    """What was asked, and the content gaps: each with a form to write the answer the playbook lacks."""
    period = st.segmented_control("Period", list(INSIGHT_PERIODS), default="Last 30 days", key="insights_period")
    days = INSIGHT_PERIODS[period or "Last 30 days"]
    with st.spinner("Reading the question log…"):
        found = services.insights(days)
    if not found.questions:
        st.info(f"No questions asked since {found.since}.")
        return

    def share(n):
        return f"{n / found.questions:.0%}"

    asked, answered, abstained, refused = st.columns(4)
    asked.metric("Questions", found.questions)
    answered.metric("Answered", share(found.answered))
    abstained.metric("Not in the playbook", share(found.abstained))
    refused.metric("Declined", share(found.refused))
    _per_day_chart(found)
    st.subheader("Content gaps")
    if not found.gaps:
        st.caption("Every question in this period was answered, and no answer got a thumbs down.")
    st.caption(
        "Questions the playbook could not answer or answered badly, grouped by meaning. Write the "
        "missing answer into the nearest document, or a new one, and re-ingest."
    )
    for gap in found.gaps:  # each named for good: a new wording joining it mid-task moves nothing
        with st.expander(escape_markdown(f"{gap.label} ({counted(gap.count, 'question')})"), key=f"gap-open-{gap.key}"):
            st.markdown("**Asked as**")
            st.text("\n".join(gap.examples))
            st.markdown("**Nearest in the playbook**")
            st.text("\n".join(f"{source} › {section or '–'}" for source, section in gap.nearest) or "Nothing near.")
            if st.toggle("Write the answer", key=f"write-{gap.key}"):
                verified_answer_form(
                    services.corpus, gap.label, [f"{s}#{c}" if c else s for s, c in gap.nearest], key=f"gap-{gap.key}"
                )
    st.subheader("Asked most")
    st.dataframe([{"Question": q, "Times": n} for q, n in found.top_questions], hide_index=True)
    if found.thumbs_down_by_doc:
        st.subheader("Documents behind thumbs-down answers")
        st.dataframe([{"Document": d, "Thumbs down": n} for d, n in found.thumbs_down_by_doc], hide_index=True)
    if found.never_cited:
        st.subheader("Never cited in this period")
        st.text("\n".join(found.never_cited))
    st.download_button(
        "Download the questions (CSV)",
        services.questions_csv(days),
        file_name=(f"questions-since-{found.since}.csv"),
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        help="One row per question: when, audience, question, outcome, rating, sources. No one's identity.",
    )
    if found.review_overdue:
        st.subheader("Due for review")
        st.dataframe(
            [{"Document": d, "Review by": due, "Owner": owner} for d, due, owner in found.review_overdue],
            hide_index=True,
        )


def verified_answer_form(manager: CorpusManager, question: str, cites: list[str], key: str) -> None:
    """A trainer's answer to a question, saved as a verified answer (a playbook document) and ingested."""
    # Keyed, so that what is typed stays with its question while the page around it moves (a gap another worker's
    # question reorders)
    with st.form(key=f"verify-{key}"):
        asked = st.text_input("Question", value=question, max_chars=MAX_QUESTION_CHARS, key=f"verify-{key}-question")
        answer = st.text_area(
            "Answer: its first sentence answers the question",
            max_chars=MAX_ANSWER_CHARS,
            help="Short and direct. It is shown as plain text.",
            key=f"verify-{key}-answer",
        )
        backing = st.multiselect(
            "Playbook sections that back it",
            options=cites,
            default=cites[:1],
            accept_new_options=True,
            help="DOCUMENT#SECTION; type another to add it.",
        )
        audience = st.selectbox("For", list(AUDIENCES), format_func=AUDIENCES.__getitem__, index=2)
        by = st.text_input("Verified by (your name)", value=trainer_name(), max_chars=MAX_NAME_CHARS)
        if st.form_submit_button("Save as a verified answer", type="primary"):
            _guarded(
                lambda: manager.add_verified_answer(asked, answer, backing, Audience(audience), by),
                f"Verified answer saved and live: {question}",
            )


def _per_day_chart(found: Insights) -> None:
    rows = [
        {"day": day, "audience": AUDIENCES.get(audience, audience), "questions": n}
        for day, by in found.per_day.items()
        for audience, n in by.items()
    ]
    st.altair_chart(
        alt.Chart(alt.Data(values=rows))
        .mark_bar(size=24)
        .encode(
            x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=0)),  # the days with questions, one bar each
            y=alt.Y("questions:Q", title="Questions", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("audience:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .properties(height=220),
        width="stretch",
    )


# Feedback
REVIEW_LABELS = {
    ReviewStatus.NEW: "New",
    ReviewStatus.FIXED: "Fixed",
    ReviewStatus.WONT_FIX: "Won't fix",
    ReviewStatus.DUPLICATE: "Duplicate",
}


def feedback_section(services: Services, drafts: DraftCases) -> None:
    """Thumbs-down answers with the conversation before them, each reviewed to a status with a note; a fixed
    one is asked again, so the trainer sees the answer now beside the answer then."""
    log = services.log
    if log is None:
        return
    disliked = log.interactions(rating=-1, limit=100)
    if not disliked:
        st.info("No thumbs-down answers yet.")
        return
    shown = st.segmented_control(
        "Show",
        list(REVIEW_LABELS),
        format_func=REVIEW_LABELS.__getitem__,
        selection_mode="multi",
        default=[ReviewStatus.NEW],
        key="feedback_statuses",
    )
    items = [item for item in disliked if item.status in (shown or REVIEW_LABELS)]
    drafted = {d["id"] for d in drafts.drafts()}
    accepted = drafts.accepted_ids()
    st.caption(
        escape_markdown(
            f"{counted(len(items), 'answer')} of {len(disliked)} with a thumbs down, newest first. "
            + ("A draft eval case waits below until you complete it." if drafted else "")
        )
    )
    for item in items:
        label = f"{shortened(item.question, 110)} · {REVIEW_LABELS[item.status]}"
        with st.expander(escape_markdown(label)):
            st.caption(escape_markdown(f"{local_time(item.ts)} · asked as {item.audience}"))
            if item.history:
                st.markdown("**The conversation before it**")
                st.text(
                    "\n".join(
                        f"{'Coach' if t.get('role') == 'assistant' else 'Asker'}: {t.get('content', '')}"
                        for t in item.history
                    )
                )
            st.markdown("**Answer given**")
            st.text(item.answer)
            if item.comment:
                st.markdown("**Comment**")
                st.text(item.comment)
            if item.citations:
                st.markdown("**Sources**")
                st.text(
                    "\n".join(
                        f"[{c.get('n')}] {c.get('title')} › {c.get('section') or '–'} ({c.get('source')})"
                        for c in item.citations
                    )
                )
            if item.status is ReviewStatus.FIXED:
                _answer_now(services, item)
            _review_form(services, item)
            if case_id(item) in drafted:
                st.caption("Already a draft eval case.")
            elif case_id(item) in accepted:  # a second draft of it would never be added
                st.caption("Already in the eval cases: every eval run asks it.")
            elif st.button("Make a draft eval case", key=f"draft-{item.id}"):
                _guarded(lambda item=item: drafts.add(item), "Draft eval case added: complete it below.")
            if st.toggle("Write the answer", key=f"write-feedback-{item.id}"):
                verified_answer_form(
                    services.corpus,
                    item.question,
                    [
                        f"{c.get('source')}#{c.get('section')}" if c.get("section") else str(c.get("source"))
                        for c in item.citations
                    ],
                    key=f"feedback-{item.id}",
                )


def draft_cases_section(manager: CorpusManager, drafts: DraftCases) -> None:
    """Drafts from thumbs-down answers, completed and accepted into the trainer's eval cases (every eval asks
    them, and the gate fails when one fails) or discarded."""
    waiting = drafts.drafts()
    st.subheader("Draft eval cases")
    st.caption(
        escape_markdown(
            f"{counted(len(waiting), 'draft')} waiting; "
            f"{counted(len(drafts.accepted()), 'accepted case')} in every eval run."
        )
    )
    documents = [d.path for d in manager.documents()]
    for draft in waiting:
        with st.expander(escape_markdown(shortened(draft["question"], 110))):
            notes = draft.get("notes", {})
            st.text(f"Answer given: {notes.get('answer_given', '')}")
            with st.form(f"case-{draft['id']}"):
                facts = st.text_area("Expected facts, one per line: words a right answer must contain")
                cited = [s for s in notes.get("cited", []) if s in documents]
                sources = st.multiselect("Documents it should draw on", documents, default=cited)
                abstain = st.checkbox("The playbook does not cover this: it must abstain")
                accept, discard = st.columns(2)
                if accept.form_submit_button("Accept into the eval cases", type="primary"):
                    _accept(drafts, draft["id"], facts.splitlines(), sources, abstain)
                if discard.form_submit_button("Discard"):
                    _guarded(lambda draft=draft: drafts.discard(draft["id"]), "Draft discarded.")


def _accept(drafts: DraftCases, draft_id: str, facts: list[str], sources: list[str], abstain: bool) -> None:
    try:
        drafts.accept(draft_id, facts, sources, abstain)
    except ValueError as exc:
        st.error(escape_markdown(str(exc)))
        return
    flash("success", "Accepted: every eval run now asks it.")
    st.rerun()


def _review_form(services: Services, item: Interaction) -> None:
    with st.form(key=f"review-{item.id}"):
        status = st.radio(
            "Status",
            list(REVIEW_LABELS),
            format_func=REVIEW_LABELS.__getitem__,
            horizontal=True,
            index=list(REVIEW_LABELS).index(item.status),
        )
        note = st.text_input("Note", value=item.note, max_chars=500, placeholder="What was wrong, what you changed")
        if st.form_submit_button("Save the review"):
            _guarded(lambda: _review(services, item, status, note), f"Marked {REVIEW_LABELS[status].lower()}.")


def _review(services: Services, item: Interaction, status: ReviewStatus, note: str) -> None:
    if services.log is not None:
        services.log.review(item.id, status, note, trainer_name())
        services.audit.record(trainer_name(), "review", item.question, f"{status.value}: {note}".strip(": "))


def _answer_now(services: Services, item: Interaction) -> None:
    """The same question, with the same conversation before it, asked of today's playbook (not logged)."""
    history = [Turn(t["role"], t["content"]) for t in item.history if t.get("role") and t.get("content")]
    try:
        now = services.engine.ask(item.question, Audience(item.audience), history, logged=False)
    except ValueError as exc:  # the question is refused as typed today
        st.caption(escape_markdown(str(exc)))
        return
    then, today = st.columns(2)
    then.markdown("**Then**")
    then.text(item.answer)
    today.markdown("**Now**")
    today.text(now.text)
    if now.verified:
        today.caption(escape_markdown(verified_line(now.verified)))


# Corpus health
def health_section(manager: CorpusManager, settings: Settings) -> None:
    waiting = manager.quarantined()
    if not waiting:
        st.success("No passage is waiting for approval.")
    else:
        st.caption(
            f"Waiting for approval: {counted(len(waiting), 'passage')} that read like instructions to an "
            "assistant, left out of answers until you approve. Approve only text that is genuinely part "
            "of the playbook."
        )
    for chunk in waiting:
        with st.container(border=True):
            st.markdown(escape_markdown(f"{chunk.title} › {chunk.section or '–'} ({chunk.doc_path})"))
            st.caption(escape_markdown(f"Why: {chunk.flagged}"))
            st.text(chunk.text)
            if st.button("Approve this passage", key=f"approve-{chunk.id}"):
                _guarded(
                    lambda chunk=chunk: manager.approve(chunk.content_hash, trainer_name()),
                    "Approved: the passage can now be used in answers.",
                )
    _corpus_check(settings)


def changes_section(audit: AuditLog) -> None:
    """Who changed the playbook or reviewed feedback, and when: the audit log, newest first."""
    entries = audit.entries(limit=200)
    if not entries:
        st.info("No changes recorded yet.")
        return
    st.dataframe(
        [
            {"When": local_time(e.ts), "Who": e.who, "Did": e.action, "To": e.target, "Detail": e.detail}
            for e in entries
        ],
        hide_index=True,
    )


def _corpus_check(settings: Settings) -> None:
    st.markdown("**Corpus check**")
    st.caption(
        "The checks of `playbook-coach corpus check`: metadata, duplicates, empty sections, the glossary "
        "and the reading level of worker documents."
    )
    if st.button("Run the corpus check", icon=":material/fact_check:"):
        with st.spinner("Checking every file…"):
            try:
                st.session_state[_CHECK] = (time.strftime("%H:%M"), check_corpus(settings.ingest, settings.home))
            except OSError as exc:
                st.error(escape_markdown(f"The check could not run: {exc.strerror or exc}"))
    if _CHECK in st.session_state:
        ran_at, report = st.session_state[_CHECK]
        _show_check(ran_at, report)


def _show_check(ran_at: str, report: CheckReport) -> None:
    summary = (
        f"Checked {counted(report.documents, 'document')} at {ran_at}: {counted(len(report.errors), 'error')}, "
        f"{counted(len(report.warnings), 'warning')}, {counted(len(report.flagged), 'flagged passage')}."
    )
    (st.success if report.ok else st.error)(escape_markdown(summary))
    for title, findings in (("Errors", report.errors), ("Warnings", report.warnings)):
        if findings:
            with st.expander(f"{title} ({len(findings)})", expanded=title == "Errors"):
                st.text("\n".join(f"{f.path}: {f.message}" for f in findings))
