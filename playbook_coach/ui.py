"""Streamlit building blocks for the chat page and the shared parts of the other pages.

``app.py`` and ``pages/`` only call these; the work itself is done by ``rag/``, ``ingest/`` and ``evals/``.
Safety rule for everything shown: document and user text goes through ``st.text`` (no parsing at all)
or through ``escape_markdown`` before ``st.markdown``; HTML is never enabled in any element.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from pydantic import ValidationError
from streamlit.runtime.scriptrunner import RerunException, StopException

from ingest.manage import in_corpus
from ingest.reports import IngestReport, IngestStep, Progress
from ingest.services import Services
from playbook_coach.auth import MAX_NAME_CHARS, LoginResult, LoginStatus, TrainerAuth
from playbook_coach.conversations import Conversation, ConversationStore
from rag.answering import STARTER_QUESTIONS
from rag.config import Settings
from rag.engine import QuestionRejected
from rag.llm import LLMUnavailable
from rag.store import StoreUnavailable
from rag.text import unwrap
from rag.types import ASKERS, Answer, Audience, BlockKind, Chunk, Citation, Turn, Verification

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
logger = logging.getLogger("playbook_coach.ui")


def role_label(audience: Audience) -> str:
    """The role's name on the chat's "I am a…" choice."""
    return audience.value.title()


ROLES = {role_label(audience): audience for audience in ASKERS}  # "Worker", "Manager"
ROLE_CAPTIONS = ["On the shop floor: short answers", "Leading a team or a plant: fuller answers"]
HISTORY_TURNS = 6  # earlier turns passed along for follow-ups
QUESTION_SHOWN_CHARS = 600  # a pasted essay is echoed shortened; the refusal says how long it was
STORE_DOWN = (
    "The document store is not answering right now, so I can't look this up. "
    "Please try again in a minute; if it keeps happening, tell your Smart Manufacturing champion."
)
CANNOT_SAVE = (
    "Playbook Coach cannot write to its data folder right now (the disk may be full or read-only), "
    "so it cannot answer. Please tell the maintainer."
)
SOMETHING_WRONG = (
    "Something went wrong while answering. Please try again, or ask it another way. "
    "(The details are in the server log.)"
)
# Originals are downloaded, never shown inline: an HTML file opened from disk is the reader's own choice.
ORIGINAL_TYPES = {
    ".pdf": ("PDF", "application/pdf"),
    ".md": ("text", "text/markdown"),
    ".txt": ("text", "text/plain"),
    ".html": ("web page", "text/html"),
    ".htm": ("web page", "text/html"),
}
TOUCH_CSS = Path(__file__).with_name("touch.css")
# The other of the app's two scripts, a constant: the newest question to the top of the view, its answer below it
SHOW_NEWEST_QUESTION = """<script>
(() => {
  const show = () => {
    const asked = document.querySelectorAll("[data-testid='stChatMessageAvatarUser']");
    const question = asked[asked.length - 1]?.closest("[data-testid='stChatMessage']");
    if (!question) return;
    question.style.scrollMarginTop = "4rem";  // clear of the app's header bar
    const top = question.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) question.scrollIntoView({block: "start"});
  };
  // again as the page settles: the chat scrolls itself to the bottom while content below the answer renders
  for (const wait of [0, 300, 1000]) setTimeout(show, wait);
})();
</script>"""
TOUCH_WIDTH = 1100  # px: a tablet either way up; wider touch screens are caught by (pointer: coarse)
TRAINER_SESSION = "trainer_session"
_QUEUED = "queued_question"
_DEVICE = "device"
_RESUMED = "resumed"  # this session has looked for the device's latest conversation
_CONVERSATION = "conversation"
DEVICE_COOKIE = "playbook_coach_device"
_DEVICE_ID = re.compile(r"[0-9a-f]{32}")
_MESSAGES = "messages"
LESSON_FOCUS = "lesson_focus"  # (module title, its documents), set by the Learn page
_PUNCTUATION = re.compile(f"([{re.escape(string.punctuation)}])")


# Safe text
def escape_markdown(text: str) -> str:
    """Text that ``st.markdown`` shows exactly as written: no links, images, HTML, LaTeX or emphasis.

    CommonMark lets any ASCII punctuation be backslash-escaped, so escaping all of it is both
    simple and complete. Line breaks are kept.
    """
    return _PUNCTUATION.sub(r"\\\1", text).replace("\n", "  \n")


def answer_markdown(answer: Answer) -> str:
    """The answer as safe Markdown, laid out as the answerer composed it: prose, numbered steps, bullets."""
    if not answer.blocks:
        return escape_markdown(answer.text)
    parts: list[str] = []
    for block in answer.blocks:
        if block.kind is BlockKind.PARAGRAPH:
            parts.append(escape_markdown(" ".join(block.lines)))
            continue
        if block.lead_in:
            parts.append(escape_markdown(block.lead_in))
        numbered = block.kind is BlockKind.STEPS
        parts.append(
            "\n".join(
                f"{f'{n}.' if numbered else '-'} {escape_markdown(line)}" for n, line in enumerate(block.lines, 1)
            )
        )
    return "\n\n".join(parts)


def counted(n: int, noun: str, plural: str = "") -> str:
    """ "1 answer", "2 answers": a number with its noun in the right number."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def readable_time(iso: object, zone: str | None = None) -> str:
    """ "1 Dec 2026, 12:55 UTC" from an ISO timestamp, in the reader's time ``zone`` ("1 Dec 2026, 06:55 CST")
    when it is known; what was given, when it is not a timestamp."""
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso or "?")
    label = "UTC" if moment.utcoffset() == timedelta(0) else moment.strftime("%z")
    if zone and moment.tzinfo is not None:
        try:
            moment = moment.astimezone(ZoneInfo(zone))
            label = moment.tzname() or label
        except (ZoneInfoNotFoundError, ValueError):
            pass  # an unknown zone name from the browser: UTC is still right
    return f"{moment.day} {moment:%b %Y, %H:%M} {label}".rstrip()


def local_time(iso: object) -> str:
    """A stored timestamp in the time zone of the reader's browser."""
    return readable_time(iso, st.context.timezone)


def shortened(text: str, limit: int = QUESTION_SHOWN_CHARS) -> str:
    return text if len(text) <= limit else f"{text[:limit].rstrip()}… ({len(text):,} characters)"


def join_passages(texts: Sequence[str], max_overlap: int = 400) -> str:
    """Consecutive chunks read as one text: the overlap the splitter repeated is dropped."""
    joined = ""
    for text in texts:
        if not joined:
            joined = text
            continue
        longest = min(len(joined), len(text), max_overlap)
        overlap = next((k for k in range(longest, 9, -1) if joined.endswith(text[:k])), 0)
        joined += text[overlap:] if overlap else "\n\n" + text
    return joined


def section_passages(chunks: Sequence[Chunk], citation: Citation) -> list[str]:
    """The texts of the cited document's chunks that share the citation's section (and page)."""
    return [
        c.text
        for c in sorted(chunks, key=lambda c: c.ordinal)
        if c.section == citation.section and c.page == citation.page
    ]


def navigation() -> None:
    """Links to the pages with plain names, in sight at the top of every page (not behind the sidebar's
    chevron; Streamlit's own list would call the chat page "app"), and the touch-friendly layout."""
    # Widths and short names so five fit a tablet's 820 px untruncated
    chat, learn, console, quality, large = st.columns(
        [1.4, 0.9, 1.1, 1.1, 1.5], gap="small", vertical_alignment="center"
    )
    chat.page_link("app.py", label="Ask the coach", icon=":material/chat:")
    learn.page_link("pages/0_Learn.py", label="Learn", icon=":material/menu_book:")
    console.page_link(
        "pages/1_Trainer_console.py", label="Trainers", icon=":material/school:", help="The trainer console"
    )
    quality.page_link("pages/2_Evals.py", label="Quality", icon=":material/monitoring:", help="Answer quality")
    everywhere = large.toggle("Large buttons", key="large_buttons")  # tablets and touch screens get them anyway
    st.html(f"<style>{touch_css(everywhere)}</style>")  # our own stylesheet only: no script, nobody's text


@functools.cache
def touch_css(everywhere: bool) -> str:
    """The touch-friendly rules (playbook_coach/touch.css): on narrow or touch screens, or everywhere."""
    rules = TOUCH_CSS.read_text(encoding="utf-8")
    return rules if everywhere else f"@media (max-width: {TOUCH_WIDTH}px), (pointer: coarse) {{\n{rules}\n}}"


# Settings and the process-wide resources
def load_settings() -> Settings:
    try:
        return Settings()
    except (ValidationError, ValueError) as exc:
        st.error(
            f"Playbook Coach is not configured correctly, so it cannot start. Ask the maintainer to "
            f"check the settings (environment or playbook-coach.toml):\n\n{escape_markdown(str(exc))}"
        )
        st.stop()


def settings_key(settings: Settings) -> str:
    # Trainer settings do not change what the engine does; a new password must not reload the model.
    return settings.model_dump_json(exclude={name for name in Settings.model_fields if name.startswith("trainer_")})


@dataclass
class StartupIngest:
    lock: threading.Lock = field(default_factory=threading.Lock)
    report: IngestReport | None = None


@st.cache_resource(show_spinner="Loading the playbook model…", hash_funcs={Settings: settings_key}, max_entries=4)
def _services(settings: Settings) -> Services:
    services = Services.from_settings(settings)
    services.engine.warm_up()
    return services


@st.cache_resource(show_spinner=False, hash_funcs={Settings: settings_key}, max_entries=4)
def _startup(settings: Settings) -> StartupIngest:
    return StartupIngest()


def ready_services(settings: Settings) -> Services:
    """The shared engine and corpus manager (one model, store and catalog per process), after one incremental
    ingest per process; stops the page with a clear message if it cannot."""
    try:
        services = _services(settings)
        startup = _startup(settings)
        if startup.report is None:
            with startup.lock:  # the first session ingests; others arriving meanwhile wait, then skip it
                if startup.report is None:
                    startup.report = _startup_ingest(services)
        return services
    except StoreUnavailable as exc:
        logger.warning("store unavailable: %s", exc)
        st.error(STORE_DOWN)
    except LLMUnavailable as exc:  # a set-up mistake the maintainer fixes: say how
        logger.error("%s", exc)
        st.error(escape_markdown(str(exc)))
    except OSError as exc:
        logger.exception("data home not usable")
        st.error(
            f"Playbook Coach cannot use its data folder ({escape_markdown(str(settings.home))}): "
            f"{escape_markdown(exc.strerror or str(exc))}. Ask the maintainer to check the disk and permissions."
        )
    st.stop()


def ingest_progress(label: str) -> tuple[Progress, Callable[[], None]]:
    """A progress bar for an ingest, saying what it is doing (reading files, then embedding passages, which
    takes most of a first start), and the call that removes it.

    Streamlit stops or reruns a script at its next ``st`` call once the page is left or another widget is used,
    and the bar's updates are such calls: a trainer who uploads a file and moves on would leave it saved but never
    ingested. So the ingest runs to its end, and the stop or rerun happens when the bar is removed."""
    bar = st.progress(0.0, text=f"{label}…")
    held: list[StopException | RerunException] = []

    def progress(step: IngestStep) -> None:
        if held:
            return  # nobody is watching this bar any more
        try:
            bar.progress(step.fraction, text=f"{label}: {step.describe()}")
        except (StopException, RerunException) as exc:
            held.append(exc)

    def done() -> None:
        bar.empty()
        if held:
            raise held[0]

    return progress, done


def _startup_ingest(services: Services) -> IngestReport:
    first_start = not services.catalog.files()
    label = "Setting up the playbook for first use" if first_start else "Checking the playbook for changes"
    progress, done = ingest_progress(label)
    report = services.corpus.reingest(progress=progress)
    done()
    for failure in report.failed:
        logger.warning("not ingested: %s: %s", failure.path, failure.reason)
    return report


# Chat
@dataclass
class Entry:
    """One bubble of the conversation."""

    role: str  # "user" | "assistant"
    text: str
    answer: Answer | None = None
    problem: str = ""  # a refusal or an error, shown instead of an answer
    audience: str = ""  # who an answer was given for (an Audience value)

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "text": self.text,
            "problem": self.problem,
            "audience": self.audience,
            "answer": self.answer.to_dict() if self.answer is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        answer = data.get("answer")
        return cls(
            data["role"],
            data["text"],
            Answer.from_dict(answer) if answer else None,
            data.get("problem", ""),
            data.get("audience", ""),
        )


def role_choice() -> Audience | None:
    saved = st.session_state.get("role")
    names = list(ROLES)
    choice = st.radio(
        "I am a…",
        names,
        index=names.index(saved) if saved in names else None,
        captions=ROLE_CAPTIONS,
        horizontal=True,
        key="role_choice",
    )
    if choice is not None:
        st.session_state["role"] = choice  # kept outside the widget so it survives visits to other pages
    return ROLES.get(choice) if choice else None


# Conversations that survive a reload: kept on the server per device (playbook_coach.conversations)
@st.cache_resource(show_spinner=False, hash_funcs={Settings: settings_key}, max_entries=4)
def _conversations(settings: Settings) -> ConversationStore:
    return ConversationStore(settings.conversations_path, settings.conversation_keep_hours * 3600)


def remember_device(settings: Settings) -> None:
    """Once per browser session: this device's id (a cookie, made on its first visit and renewed on each
    new session) and, if this session shows no conversation yet, the device's latest one."""
    if _RESUMED in st.session_state:
        return
    st.session_state[_RESUMED] = True
    if _DEVICE not in st.session_state:
        saved = st.context.cookies.get(DEVICE_COOKIE)  # no cookies outside a browser (AppTest)
        device = saved if isinstance(saved, str) and _DEVICE_ID.fullmatch(saved) else secrets.token_hex(16)
        st.session_state[_DEVICE] = device
        # One of the app's two scripts: it holds nothing but our own random hex id and a number.
        st.html(
            f"<script>document.cookie = '{DEVICE_COOKIE}={device}; max-age="
            f"{int(settings.conversation_keep_hours * 3600)}; path=/; samesite=strict';</script>",
            unsafe_allow_javascript=True,
        )
    latest = _conversations(settings).latest(st.session_state[_DEVICE])
    if latest is not None and not st.session_state.get(_MESSAGES):
        _open(latest)


def _open(conversation: Conversation) -> None:
    st.session_state[_MESSAGES] = [Entry.from_dict(e) for e in conversation.entries]
    st.session_state[_CONVERSATION] = conversation.id
    if conversation.audience is not None:
        st.session_state["role"] = st.session_state["role_choice"] = role_label(conversation.audience)
    st.session_state.pop(_QUEUED, None)


def _save_conversation(settings: Settings, role: Audience, entries: Sequence[Entry]) -> None:
    if _DEVICE not in st.session_state:
        return
    conversation = st.session_state.setdefault(_CONVERSATION, secrets.token_hex(16))
    _conversations(settings).save(st.session_state[_DEVICE], conversation, role, [e.to_dict() for e in entries])


def earlier_conversations(settings: Settings) -> None:
    """The device's other conversations still kept, to go back to."""
    if _DEVICE not in st.session_state:
        return
    current = st.session_state.get(_CONVERSATION)
    earlier = [c for c in _conversations(settings).recent(st.session_state[_DEVICE]) if c.id != current]
    if not earlier:
        return
    hours = f"{settings.conversation_keep_hours:g}"
    with st.expander(f"Earlier conversations on this device (kept {hours} hours)", icon=":material/history:"):
        now = time.time()
        for conversation in earlier:
            st.button(
                f"{shortened(conversation.title, 80)} · {ago(now - conversation.updated)}",
                key=f"open-{conversation.id}",
                on_click=_open,
                args=(conversation,),
            )


def ago(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "just now"
    return f"{counted(minutes, 'minute')} ago" if minutes < 60 else f"{counted(minutes // 60, 'hour')} ago"


def new_conversation_button() -> None:
    st.button("New conversation", icon=":material/add_comment:", on_click=_clear_conversation)


def _clear_conversation() -> None:
    """A new conversation: the one shown stays among the earlier ones while it is kept."""
    st.session_state[_MESSAGES] = []
    st.session_state.pop(_CONVERSATION, None)
    st.session_state.pop(_QUEUED, None)


def _queue(question: str) -> None:
    st.session_state[_QUEUED] = question


def lesson_focus() -> frozenset[str]:
    """The documents of the lesson the learner came from ("Ask the coach about this"), shown with a way out;
    retrieval prefers them while the note is up."""
    focus = st.session_state.get(LESSON_FOCUS)
    if not focus:
        return frozenset()
    title, documents = focus
    note, leave = st.columns([4, 1], vertical_alignment="center")
    note.info(
        f"Asking about the lesson **{escape_markdown(title)}**: its pages come first.", icon=":material/menu_book:"
    )
    leave.button("Ask about anything", key="leave-lesson", on_click=st.session_state.pop, args=(LESSON_FOCUS, None))
    return frozenset(documents)


def chat(services: Services, role: Audience) -> None:
    entries: list[Entry] = st.session_state.setdefault(_MESSAGES, [])
    prefer = lesson_focus()
    typed = st.chat_input("Ask about Smart Manufacturing…")  # pinned to the bottom wherever it is called
    question = typed if typed is not None else st.session_state.pop(_QUEUED, None)
    for index, entry in enumerate(entries):
        with st.chat_message(entry.role):
            _show_entry(services, entry, index, role)
    if question is not None:
        _ask(services, role, question, entries, prefer)
        _save_conversation(services.settings, role, entries)
    elif not entries:
        _starters(role)


def _starters(role: Audience) -> None:
    st.markdown("**Not sure where to start? Try one of these:**")
    for n, question in enumerate(STARTER_QUESTIONS[role]):
        st.button(question, key=f"starter-{n}", on_click=_queue, args=(question,))


def history_turns(entries: Sequence[Entry]) -> list[Turn]:
    """Answered exchanges only: refused questions and errors are not part of the conversation."""
    turns: list[Turn] = []
    for question, reply in pairwise(entries):
        if question.role == "user" and reply.role == "assistant" and reply.answer is not None:
            turns += [Turn("user", question.text), Turn("assistant", reply.answer.text)]
    return turns[-HISTORY_TURNS:]


def _ask(
    services: Services, role: Audience, question: str, entries: list[Entry], prefer: frozenset[str] = frozenset()
) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(shortened(question)))
    history = history_turns(entries)
    entries.append(Entry("user", question))
    index = len(entries)
    with st.chat_message("assistant"):
        final: list[Answer] = []
        problem = ""
        slot = st.empty()
        streamed: object = ""
        try:
            cleaned = services.engine.validate(question)
            with st.spinner("Looking it up in the playbook…"):  # a language model's answer is checked first
                pieces = services.engine.ask_stream(cleaned, role, history, prefer=prefer)
                streamed = slot.write_stream(_text_pieces(pieces, final))
        except QuestionRejected as exc:
            problem = str(exc)
        except StoreUnavailable as exc:
            logger.warning("store unavailable: %s", exc)
            problem = STORE_DOWN
        except OSError:  # the question log could not be written
            logger.exception("data home not writable")
            problem = CANNOT_SAVE
        except Exception:  # never a traceback on screen; the log has it
            logger.exception("answering failed")
            problem = SOMETHING_WRONG
        if problem or not final:
            entry = Entry("assistant", "", problem=problem or SOMETHING_WRONG)
            _show_problem(entry.problem)
        else:
            entry = Entry("assistant", final[0].text, answer=final[0], audience=role.value)
            shown = answer_markdown(final[0])
            if streamed != shown:  # laid out as steps or bullets, or the model failed midway, or citations tidied
                slot.markdown(shown)
            _show_answer_extras(services, final[0], index)
    entries.append(entry)
    # Asked after scrolling up (to switch role, say), the exchange would sit below the fold; asked at the bottom,
    # a long answer would show its end. Either way the reader starts at the question, the answer's lead below it.
    st.html(SHOW_NEWEST_QUESTION, unsafe_allow_javascript=True)


def _text_pieces(events: Iterator[str | Answer], final: list[Answer]) -> Iterator[str]:
    for event in events:
        if isinstance(event, Answer):
            final.append(event)
        else:
            yield escape_markdown(event)


def _show_entry(services: Services, entry: Entry, index: int, role: Audience) -> None:
    if entry.role == "user":
        st.markdown(escape_markdown(shortened(entry.text)))
    elif entry.problem:
        _show_problem(entry.problem)
    elif entry.answer is not None:
        if entry.audience and entry.audience != role.value:  # the role was switched since
            st.caption(f"Answered for a {entry.audience}")
        _show_answer_text(entry.answer, index)
        _show_answer_extras(services, entry.answer, index)


def _show_answer_text(answer: Answer, key: int) -> None:
    """The answer as composed; a procedure's steps as boxes to tick while the reader works through them."""
    if not st.session_state.get(f"checklist-{key}"):
        st.markdown(answer_markdown(answer))
        return
    for number, block in enumerate(answer.blocks):
        if block.kind is not BlockKind.STEPS:
            st.markdown(answer_markdown(replace(answer, blocks=(block,))))
            continue
        if block.lead_in:
            st.markdown(escape_markdown(block.lead_in))
        done = [
            st.checkbox(f"{n}\\. {escape_markdown(line)}", key=f"step-{key}-{number}-{n}")
            for n, line in enumerate(block.lines, 1)
        ]
        st.caption(f"{sum(done)} of {counted(len(done), 'step')} done")


def _show_problem(message: str) -> None:
    st.warning(escape_markdown(message), icon=":material/info:")


def _show_answer_extras(services: Services, answer: Answer, key: int) -> None:
    """Everything under the answer text: notice, suggestions, sources, feedback."""
    if answer.notice:
        st.caption(escape_markdown(answer.notice))
    if answer.verified:
        st.caption(escape_markdown(verified_line(answer.verified)), help="A trainer wrote and checked this answer.")
    if answer.abstained and answer.suggestions:
        _suggested(answer.suggestions, "**The playbook can answer questions like these:**", key)
    if any(block.kind is BlockKind.STEPS for block in answer.blocks):
        st.toggle("Tick off the steps as I go", key=f"checklist-{key}", help="Each step gets a box to tick.")
    if answer.citations:
        _show_sources(services, answer.citations, key)
    if not answer.abstained and answer.suggestions:
        _suggested(answer.suggestions, "**Related questions**", key)
    _feedback(services, answer, key)


def _suggested(questions: Sequence[str], heading: str, key: int) -> None:
    st.markdown(heading)
    for n, question in enumerate(questions):
        st.button(question, key=f"suggest-{key}-{n}", on_click=_queue, args=(question,))


def verified_line(verified: Verification) -> str:
    try:
        day = date.fromisoformat(verified.on)
        on = f"{day.day} {day:%b %Y}"
    except ValueError:
        on = verified.on
    return f"✓ Verified by a trainer ({verified.by}) on {on}"


def citation_label(citation: Citation) -> str:
    where = f" › {citation.section}" if citation.section and citation.section != citation.title else ""
    page = f", page {citation.page}" if citation.page else ""
    return f"[{citation.n}] {citation.title}{where}{page}"


def _show_sources(services: Services, citations: Sequence[Citation], key: int) -> None:
    st.caption("Sources")
    for citation in citations:
        with st.expander(escape_markdown(citation_label(citation))):
            label = "Read the whole page" if citation.page else "Read the whole section"
            passages: list[str] = []
            if st.toggle(label, key=f"section-{key}-{citation.n}"):
                passages = section_passages(services.catalog.chunks(citation.source), citation)
                if not passages:
                    st.caption("This section has changed since the answer was given; ask again to see the new text.")
            st.text(unwrap(join_passages(passages)) if passages else citation.snippet)
            _original_file(services, citation, key)


def _original_file(services: Services, citation: Citation, key: int) -> None:
    """A button that downloads the document the passage comes from, as the trainer stored it."""
    path = in_corpus(services.settings.corpus_dir, citation.source)
    if path is None or not path.is_file():
        return
    kind, mime = ORIGINAL_TYPES.get(path.suffix.lower(), ("file", "application/octet-stream"))
    page = f", the passage is on page {citation.page}" if citation.page else ""
    st.download_button(
        f"Download the original ({kind}{page})",
        data=path.read_bytes,
        file_name=path.name,
        mime=mime,
        key=f"original-{key}-{citation.n}",
        on_click="ignore",
        icon=":material/download:",
    )


def _feedback(services: Services, answer: Answer, key: int) -> None:
    if answer.interaction_id is None or services.log is None:
        return
    widget = f"feedback-{key}"
    rating = st.feedback("thumbs", key=widget, on_change=_store_rating, args=(services, answer.interaction_id, widget))
    if rating is None:
        return
    if st.session_state.pop(f"{widget}-unsaved", False):
        st.caption("Sorry, your feedback could not be saved just now. Please try again later.")
    sent = f"{widget}-comment-sent"
    if st.session_state.get(sent):
        st.caption("Thanks, your comment was saved.")
        return
    with st.form(f"{widget}-form", border=False, clear_on_submit=True):
        st.text_input("Anything to add? (optional)", max_chars=2000, key=f"{widget}-comment")
        # Saved in the callback, before the page is drawn again: a sent comment leaves no empty box behind.
        st.form_submit_button("Send comment", on_click=_send_comment, args=(services, answer.interaction_id, widget))
    if st.session_state.pop(f"{widget}-comment-unsaved", False):
        st.caption("Sorry, your comment could not be saved just now. Please try again later.")


def _send_comment(services: Services, interaction_id: int, widget: str) -> None:
    comment = str(st.session_state.get(f"{widget}-comment") or "")
    rating = st.session_state.get(widget)
    if not comment.strip() or rating is None:
        return
    if _save_feedback(services, interaction_id, _rating(rating), comment, widget):
        st.session_state[f"{widget}-comment-sent"] = True
    else:
        st.session_state[f"{widget}-comment-unsaved"] = True


def _rating(widget_value: int) -> int:
    return 1 if widget_value == 1 else -1  # st.feedback("thumbs"): 1 is up, 0 is down


def _store_rating(services: Services, interaction_id: int, widget: str) -> None:
    value = st.session_state.get(widget)
    if value is not None and not _save_feedback(services, interaction_id, _rating(value), "", widget):
        st.session_state[f"{widget}-unsaved"] = True


def _save_feedback(services: Services, interaction_id: int, rating: int, comment: str, widget: str) -> bool:
    try:
        services.log.add_feedback(interaction_id, rating, comment)
    except OSError:  # a full or read-only disk must not take the page down
        logger.exception("feedback not saved (%s)", widget)
        return False
    return True


# Trainer login, shared by the trainer console and the evals page
def trainer_logged_in(settings: Settings) -> bool:
    return TrainerAuth(settings.console).active(st.session_state.get(TRAINER_SESSION))


def trainer_name() -> str:
    """The logged-in trainer's name, as given at login."""
    session = st.session_state.get(TRAINER_SESSION)
    return session.name if session is not None else ""


def trainer_gate(settings: Settings) -> bool:
    """True for a logged-in trainer; otherwise shows the login form (or why it is closed) and returns False.

    Privileged actions must be plain ``if st.button(...)`` code placed after this check, never
    ``on_click`` callbacks: Streamlit runs callbacks before the script, so before this gate.
    """
    auth = TrainerAuth(settings.console)
    session = st.session_state.get(TRAINER_SESSION)
    if auth.active(session):
        st.button("Log out", icon=":material/logout:", on_click=st.session_state.pop, args=(TRAINER_SESSION, None))
        return True
    if session is not None:
        st.session_state.pop(TRAINER_SESSION, None)
        st.info("Your trainer session ended after a quiet spell. Please log in again.")
    if not auth.configured:
        st.warning(LoginResult(LoginStatus.NOT_CONFIGURED).message())
        return False
    with st.form("trainer-login", clear_on_submit=True):
        name = st.text_input(
            "Your name",
            key="trainer-name",
            max_chars=MAX_NAME_CHARS,
            help="Every change you make is recorded with it, in the console's change log.",
        )
        password = st.text_input("Trainer password", type="password", key="trainer-password")
        submitted = st.form_submit_button("Log in")
    if submitted and not name.strip():
        st.error("Please give your name: the console records who changed what.")
    elif submitted:
        try:
            result = auth.login(password)
        except OSError as exc:  # the failure count lives in the data home
            logger.exception("trainer login could not be recorded")
            st.error(
                f"Logging in needs the data folder, which cannot be used right now: "
                f"{escape_markdown(exc.strerror or str(exc))}"
            )
            return False
        if result.ok:
            st.session_state[TRAINER_SESSION] = auth.start_session(name)
            st.rerun()
        st.error(result.message())
    return False
