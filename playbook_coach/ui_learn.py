"""The Learn page: sign in with a name or badge code, follow a path, read a module, take its check, and do
the day's review. All logic lives in learn.training; this module lays it out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from ingest.audit import AuditLog
from learn.items import BLANK, Item, ItemKind
from learn.paths import LearningPath, TrainingFileError
from learn.progress import MAX_NAME, LearnerNameError
from learn.training import CheckResult, ItemResult, Status, Training
from playbook_coach.ui import LESSON_FOCUS, ROLES, counted, escape_markdown, role_label, settings_key
from rag.config import Settings
from rag.types import Audience

LEARNER = "learner"  # the signed-in learner's id, for this browser session only
OPEN_MODULE = "open_module"
_RESULT = "check_result"
_REVIEWED = "reviewed_today"  # this session's answers in today's review, shown above the next item
PRIVACY = (
    "Your progress (modules opened, scores, reviews) is kept under this name so you and your trainer "
    "can see it. What you ask the coach in the chat is never linked to your name, and trainers see "
    "scores and completion, not your questions. You can delete your progress at any time."
)
STATUS_ICONS = {
    Status.NOT_STARTED: ":material/radio_button_unchecked:",
    Status.IN_PROGRESS: ":material/pending:",
    Status.SIGNOFF_DUE: ":material/task_alt:",
    Status.PASSED: ":material/verified:",
    Status.EXPIRED: ":material/update:",
}  # Material icons: a plant tablet may have no emoji font


@st.cache_resource(show_spinner=False, hash_funcs={Settings: settings_key}, max_entries=4)
def training(settings: Settings) -> Training:
    return Training.from_settings(settings)


def learner_gate(course: Training) -> str | None:
    """The signed-in learner's id, or None after showing the sign-in form."""
    learner = st.session_state.get(LEARNER)
    if learner is not None:
        try:
            name = course.progress.record(learner).name
        except LookupError:  # their progress was deleted meanwhile (on another tablet, or by themselves)
            sign_out()
            return learner_gate(course)
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"Learning as **{escape_markdown(name)}**")
        right.button("Switch learner", icon=":material/switch_account:", on_click=sign_out, key="switch-learner")
        return str(learner)
    with st.form("learner-sign-in", clear_on_submit=True):
        name = st.text_input("Your name or badge code", max_chars=MAX_NAME, key="learner-name")
        st.caption(PRIVACY)
        submitted = st.form_submit_button("Start learning")
    if submitted:
        try:
            st.session_state[LEARNER] = course.progress.sign_in(name, date.today())
        except LearnerNameError as exc:
            st.error(escape_markdown(str(exc)))
            return None
        st.rerun()
    return None


def sign_out() -> None:
    for key in (LEARNER, OPEN_MODULE, _RESULT, _REVIEWED):
        st.session_state.pop(key, None)


def path_choice(course: Training) -> LearningPath | None:
    paths = course.paths()
    if not paths:
        st.info("No learning paths yet: a trainer adds them in the playbook's paths folder.")
        return None
    role = ROLES.get(st.session_state.get("role", ""), Audience.WORKER)  # the chat's role choice, if made
    names = [p.title for p in paths]
    default = next((i for i, p in enumerate(paths) if p.audience is role), 0)
    chosen = st.selectbox("Learning path", names, index=default, key="learn-path")
    return paths[names.index(chosen)]


def path_section(course: Training, learner: str, path: LearningPath) -> None:
    record = course.progress.record(learner)
    today = date.today()
    for module in path.modules:
        status = course.status(record, module.id, today)
        best = record.best(module.id)
        score = f" · best {best.score}/{best.total}" if best else ""
        with st.container(border=True):
            st.markdown(
                f"{STATUS_ICONS[status]} **{escape_markdown(module.title)}**  \n"
                f"{module.minutes} min · {status.value}{score}"
            )
            st.button("Open", key=f"open-{module.id}", on_click=open_module, args=(module.id,))


def open_module(module_id: str) -> None:
    st.session_state[OPEN_MODULE] = module_id
    st.session_state.pop(_RESULT, None)


def close_module() -> None:
    st.session_state.pop(OPEN_MODULE, None)
    st.session_state.pop(_RESULT, None)


def module_view(course: Training, learner: str, module_id: str) -> None:
    module = course.module(module_id)
    course.progress.opened(learner, module_id, date.today())
    st.button("Back to the path", icon=":material/arrow_back:", on_click=close_module)
    st.subheader(escape_markdown(module.title))
    st.markdown("**You will be able to:**\n" + "\n".join(f"- {escape_markdown(o)}" for o in module.objectives))
    for part in course.lesson(module_id):
        with st.expander(escape_markdown(part.heading), expanded=True):
            st.caption(escape_markdown(part.title))
            st.markdown(escape_markdown(part.text))
    if st.button("Ask the coach about this", icon=":material/chat:"):
        st.session_state[LESSON_FOCUS] = (module.title, tuple(sorted({r.source for r in module.sections})))
        # The chat asks who is asking otherwise: a lesson's path says it.
        st.session_state.setdefault("role", role_label(course.path_of(module).audience))
        st.switch_page("app.py")
    st.divider()
    knowledge_check(course, learner, module_id)


def _question(item: Item) -> str:
    prefix = (
        "Fill the gap: " if BLANK in item.question else "True or false? " if item.kind is ItemKind.TRUE_FALSE else ""
    )
    return prefix + escape_markdown(item.question)


def knowledge_check(course: Training, learner: str, module_id: str) -> None:
    st.subheader("Knowledge check")
    items = course.quiz(module_id)
    if not items:
        st.info("This module has no knowledge check yet.")
        return
    result: CheckResult | None = st.session_state.get(_RESULT)
    if result is not None and result.module == module_id:
        show_result(course, result)
        st.button("Try again", on_click=try_again)
        return
    with st.form(f"check-{module_id}"):
        chosen = {}
        for number, item in enumerate(items, start=1):
            chosen[item.id] = st.radio(
                f"{number}. {_question(item)}",
                range(len(item.options)),
                index=None,
                format_func=lambda i, item=item: item.options[i],
                key=f"q-{item.id}",
            )
        submitted = st.form_submit_button("Check my answers", type="primary")
    if submitted:
        st.session_state[_RESULT] = course.grade(learner, module_id, chosen, date.today())
        st.rerun()


def try_again() -> None:
    """A fresh check: the result and the earlier choices cleared."""
    for key in [k for k in st.session_state if k == _RESULT or str(k).startswith("q-")]:
        del st.session_state[key]


def show_result(course: Training, result: CheckResult) -> None:
    total = len(result.results)
    if result.passed:
        st.success(f"Passed: {result.score} of {total} right. A trainer can now sign this module off.")
    else:
        st.warning(
            f"{result.score} of {total} right; {result.needed} are needed to pass. Read the explanations "
            "below, then try again."
        )
    for number, item_result in enumerate(result.results, start=1):
        show_item_result(course, number, item_result)


def show_item_result(course: Training, number: int, result: ItemResult) -> None:
    item = result.item
    mark = ":green[:material/check_circle:]" if result.correct else ":red[:material/cancel:]"
    chosen = "no answer" if result.chosen is None else item.options[result.chosen]
    where = course.source_label(item)
    lines = [f"{mark} **{number}. {_question(item)}**", f"Your answer: {escape_markdown(chosen)}"]
    if not result.correct:
        lines.append(f"Right answer: **{escape_markdown(item.correct)}**")
    lines += [escape_markdown(item.explanation), f"Source: {escape_markdown(where)}"]
    st.markdown("  \n".join(lines))


def review_section(course: Training, learner: str) -> None:
    """Today's few items: one at a time, each answer scheduled at once (a habit for the start of a shift)."""
    today = date.today()
    done: list[ItemResult] = st.session_state.setdefault(_REVIEWED, [])
    due = [i for i in course.todays_review(learner, today) if i.id not in {r.item.id for r in done}]
    for number, result in enumerate(done, start=1):
        show_item_result(course, number, result)
    if not due:
        st.success(
            f"Today's review is done: {counted(sum(r.correct for r in done), 'right answer')}."
            if done
            else "Nothing to review today. Open a module to start; its items come back here."
        )
        return
    item = due[0]
    st.caption(f"{len(done) + 1} of {len(done) + len(due)} · about a minute")
    with st.form(f"review-{item.id}"):
        choice = st.radio(
            _question(item),
            range(len(item.options)),
            index=None,
            format_func=lambda i: item.options[i],
            key=f"r-{item.id}",
        )
        submitted = st.form_submit_button("Answer", type="primary")
    if submitted:
        done.append(course.answer_review(learner, item.id, choice, today))
        st.rerun()


def module_rows(modules: list[dict], signer: bool) -> list[dict]:
    """A learner's modules as a table shows them (``signer``: who signed each off, beside when)."""
    return [
        {
            "module": r["title"],
            "status": r["status"],
            "best score": f"{r['score']}/{r['total']}" if r["total"] else "",
            "signed off": f"{r['signed_off_on']} by {r['signed_off_by']}"
            if signer and r["signed_off_on"]
            else r["signed_off_on"],
            "expires": r["expires_on"],
        }
        for r in modules
    ]


def progress_section(course: Training, learner: str) -> None:
    data = course.progress_of(learner, date.today())
    st.dataframe(module_rows(data["modules"], signer=False), hide_index=True, width="stretch")
    st.caption(f"{counted(data['reviews_due'], 'review item')} due. {PRIVACY}")
    with st.popover("Delete my progress", icon=":material/delete:"):
        st.write("This deletes your name, scores, reviews and sign-offs for good.")
        if st.button("Yes, delete everything", type="primary", key="forget-me"):
            course.forget(learner)
            sign_out()
            st.rerun()


def page(settings: Settings) -> None:
    course = training(settings)
    try:
        learner = learner_gate(course)
        if learner is None:
            return
        if st.session_state.get(OPEN_MODULE):
            module_view(course, learner, st.session_state[OPEN_MODULE])
            return
        review, path_tab, mine = st.tabs(
            ["Today's review", "My path", "My progress"], key="learn_tab", on_change="rerun"
        )
        if review.open:
            with review:
                review_section(course, learner)
        if path_tab.open:
            with path_tab:
                chosen = path_choice(course)
                if chosen is not None:
                    path_section(course, learner, chosen)
        if mine.open:
            with mine:
                progress_section(course, learner)
    except (TrainingFileError, LookupError) as exc:
        st.error(
            f"Training cannot be shown right now: {escape_markdown(str(exc))}. Ask a trainer to run "
            "`playbook-coach learn check`."
        )


# The trainer's side (trainer console, after the login)


def trainer_section(settings: Settings, audit: AuditLog, by: str) -> None:
    course = training(settings)
    today = date.today()
    try:
        completion_table(course, today)
        learners_table(course, audit, by, today)
        missed_items(course)
        drafts_queue(course, audit, by)
    except (TrainingFileError, LookupError) as exc:
        st.error(
            f"The training files have a problem: {escape_markdown(str(exc))}. "
            "`playbook-coach learn check` lists every one."
        )


def completion_table(course: Training, today: date) -> None:
    st.markdown("**Completion per module** (number of learners at each status)")
    rows = [
        {"module": row["title"], **{status.value: row[status.value] for status in Status}}
        for row in course.completion(today)
    ]  # titles and counts: what fits a tablet's width
    st.dataframe(
        rows, hide_index=True, width="stretch", column_config={"module": st.column_config.TextColumn(width="medium")}
    )  # every count in sight
    st.download_button(
        "Download completion (CSV)",
        course.completion_csv(today),
        file_name=f"completion-{today}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        help="One row per learner and module: status, score, sign-off.",
    )


def learners_table(course: Training, audit: AuditLog, by: str, today: date) -> None:
    learners = course.progress.learners()
    st.markdown(f"**Learners** ({len(learners)})")
    if not learners:
        st.caption("Nobody has signed in on the Learn page yet.")
        return
    st.dataframe(course.learner_statuses(today), hide_index=True, width="stretch")  # modules at each status
    names = {name: learner for learner, name in learners}
    name = st.selectbox("A learner's modules", list(names), key="trainer-learner")
    data = course.progress_of(names[name], today)
    started = [r for r in data["modules"] if r["status"] != Status.NOT_STARTED.value]
    st.dataframe(module_rows(started, signer=True) or [{"module": "(none started)"}], hide_index=True, width="stretch")
    due = {
        r["title"]: r["module"]
        for r in data["modules"]
        if r["status"] in (Status.SIGNOFF_DUE.value, Status.EXPIRED.value)
    }
    if due:
        module_title = st.selectbox("Sign off a module they passed", list(due), key="signoff-module")
        if st.button("Sign off", icon=":material/verified:", key="sign-off"):
            course.sign_off(names[name], due[module_title], by, today)
            audit.record(by, "sign off", due[module_title], f"learner {name}")
            st.rerun()


def missed_items(course: Training) -> None:
    missed = course.most_missed()
    st.markdown("**Most-missed items** (the content behind them may need work)")
    if not missed:
        st.caption("No item has been missed yet.")
        return
    st.dataframe(
        [
            {
                "missed": f"{m} of {n}",
                "question": item.question,
                "right answer": item.correct,
                "source": course.source_label(item),
            }
            for item, n, m in missed
        ],
        hide_index=True,
        width="stretch",
    )


def drafts_queue(course: Training, audit: AuditLog, by: str) -> None:
    st.markdown("**Knowledge-check items**: drafts written from the playbook wait here for approval")
    modules = course.modules()
    module_id = st.selectbox("Module", list(modules), format_func=lambda m: modules[m].title, key="draft-module")
    live, stale, drafts = course.quiz(module_id), course.stale(module_id), course.drafts(module_id)
    st.caption(
        f"{counted(len(live), 'approved item')} asked; {counted(len(stale), 'item')} to re-review because "
        f"its section changed; {counted(len(drafts), 'draft')} waiting."
    )
    if st.button("Write new drafts from the playbook", icon=":material/auto_awesome:", key="generate"):
        report = course.generate(module_id)
        st.success(
            f"{report.generated} drafts written, {report.valid} pass validation; "
            f"{len(report.drafts)} new ones wait below."
        )
    for item in [*stale, *course.drafts(module_id)]:
        draft_card(course, audit, by, item, stale=item in stale)


def draft_card(course: Training, audit: AuditLog, by: str, item: Item, stale: bool) -> None:
    with st.container(border=True):
        if stale:
            st.warning("Its source section changed since it was approved: check it still holds.")
        st.markdown(
            f"**{_question(item)}**  \n"
            + "  \n".join(
                f"{':green[:material/check_circle:]' if i == item.answer else ':material/radio_button_unchecked:'} "
                f"{escape_markdown(o)}"
                for i, o in enumerate(item.options)
            )
        )
        st.caption(f"{escape_markdown(item.explanation)} Source: {escape_markdown(course.source_label(item))}")
        for problem in item.problems:
            st.error(escape_markdown(problem))
        with st.expander("Edit"):
            with st.form(f"edit-{item.id}"):
                question = st.text_input("Question", item.question, max_chars=400)
                options = st.text_area("Options, one per line", "\n".join(item.options))
                answer = st.number_input("Right option (1 = first)", 1, 5, item.answer + 1)
                explanation = st.text_input("Explanation", item.explanation, max_chars=400)
                edited = st.form_submit_button("Save and approve")
        approve, reject = st.columns(2)
        if approve.button("Approve", key=f"approve-{item.id}", icon=":material/check:"):
            _approve(course, audit, by, item)
        if reject.button("Reject" if not stale else "Remove", key=f"reject-{item.id}", icon=":material/close:"):
            course.reject(item) if not stale else course.remove(item)
            audit.record(by, "reject item", item.id, item.question)
            st.rerun()
        if edited:
            lines = tuple(line.strip() for line in options.splitlines() if line.strip())
            _approve(
                course,
                audit,
                by,
                replace(
                    item,
                    question=question.strip(),
                    options=lines,
                    answer=int(answer) - 1,
                    explanation=explanation.strip(),
                    origin="edited",
                ),
            )


def _approve(course: Training, audit: AuditLog, by: str, item: Item) -> None:
    try:
        course.approve(item)
    except (TrainingFileError, LookupError) as exc:
        st.error(f"Not approved: {escape_markdown(str(exc))}")
        return
    audit.record(by, "approve item", item.id, item.question)
    st.rerun()
