"""The Learn page and the trainer console's Training tab through Streamlit's AppTest: a learner signs in,
reads a module, takes its check, does the day's review and deletes their progress; a trainer sees the
result, signs it off and works the draft queue. The chat side ("Ask the coach about this") uses the model."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest
from test_trainer import PASSWORD_HASH, button, log_in, open_tab, texts

from ingest.audit import AuditLog
from learn.training import Training
from rag.config import Settings

from conftest import REPO, SHIPPED_CORPUS, copy_shipped, point_app_at

RUN_SECONDS = 300
MODULE = "worker-oee"


@pytest.fixture
def learn_settings(tmp_path, monkeypatch) -> Settings:
    """The shipped corpus (with its paths and items) in a folder of the test's own; no model needed."""
    shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus")
    settings = Settings(home=tmp_path / "home", corpus_dir=tmp_path / "corpus")
    point_app_at(monkeypatch, settings)
    return settings


def learn_page() -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=RUN_SECONDS)
    app.switch_page("pages/0_Learn.py")
    return app.run()


def shown(element) -> str:
    """An element's text as the reader sees it (escape_markdown's backslashes gone)."""
    return element.value.replace("\\", "")


def ok(app: AppTest) -> AppTest:
    assert not app.exception, [e.value for e in app.exception]
    return app


def sign_in(app: AppTest, name: str) -> AppTest:
    app.text_input(key="learner-name").input(name)
    app.get("form_submit_button")[0].click()
    return ok(app.run())


def tab(app: AppTest, label: str) -> AppTest:
    app.session_state["learn_tab"] = label
    return ok(app.run())


def take_check(app: AppTest, course: Training, right: int) -> AppTest:
    """Answer the open module's check: the first ``right`` items right, the rest wrong."""
    items = course.quiz(MODULE)
    for n, item in enumerate(items):
        app.radio(key=f"q-{item.id}").set_value(item.answer if n < right else (item.answer + 1) % len(item.options))
    [submit] = [b for b in app.get("form_submit_button") if b.label == "Check my answers"]
    submit.click()
    return ok(app.run())


def test_a_learner_signs_in_reads_a_module_passes_its_check_and_sees_it_in_their_progress(learn_settings):
    course = Training.from_settings(learn_settings)
    app = ok(learn_page())
    assert "never linked to your name" in " ".join(texts(app.caption))
    app = sign_in(app, "<b>Ana</b>")
    assert "letters, digits" in shown(app.error[0]) and not course.progress.learners()
    app = sign_in(app, "Ana Ruiz")
    assert "Learning as **Ana Ruiz**" in texts(app.markdown)
    app = tab(app, "My path")
    [b for b in app.button if b.key == f"open-{MODULE}"][0].click()
    app = ok(app.run())
    module = course.module(MODULE)
    assert [e.label.replace("\\", "") for e in app.expander] == [p.heading for p in course.lesson(MODULE)]
    assert any("You will be able to" in t for t in texts(app.markdown))
    items = course.quiz(MODULE)
    app = take_check(app, course, right=len(items))
    assert f"Passed: {len(items)} of {len(items)} right" in shown(app.success[0])
    assert len(app.markdown) > len(items)  # each item's explanation and source is shown
    button(app, "Back to the path").click()
    app = tab(ok(app.run()), "My progress")
    rows = app.dataframe[0].value
    assert rows[rows["module"] == module.title]["status"].item() == "sign-off due"


def test_a_failed_check_says_how_many_were_needed_and_shows_the_right_answers(learn_settings):
    course = Training.from_settings(learn_settings)
    app = sign_in(learn_page(), "Ben")
    app.session_state["open_module"] = MODULE
    app = take_check(ok(app.run()), course, right=1)
    needed = -(-len(course.quiz(MODULE)) * 4 // 5)
    assert f"1 of {len(course.quiz(MODULE))} right; {needed} are needed" in shown(app.warning[0])
    assert sum("Right answer:" in t for t in texts(app.markdown)) == len(course.quiz(MODULE)) - 1


def test_todays_review_asks_one_item_at_a_time_and_records_each_answer(learn_settings):
    course = Training.from_settings(learn_settings)
    app = sign_in(learn_page(), "Cy")
    assert "Nothing to review today" in shown(app.success[0])
    course.progress.opened(course.progress.learners()[0][0], MODULE, date.today())  # a module opened earlier
    app = ok(app.run())
    for n in range(3):
        [radio] = app.radio
        item = next(i for i in course.quiz(MODULE) if radio.key == f"r-{i.id}")
        radio.set_value(item.answer if n else (item.answer + 1) % len(item.options))
        app.get("form_submit_button")[0].click()
        app = ok(app.run())
    assert "Today's review is done: 2 right answers." in shown(app.success[0])
    record = course.progress.record("cy")
    assert len(record.reviews) == 3 and sum(s.lapses for s in record.reviews) == 1


def test_switching_learner_on_a_shared_tablet_keeps_each_persons_progress_apart(learn_settings):
    course = Training.from_settings(learn_settings)
    app = sign_in(learn_page(), "Dee")
    app.session_state["open_module"] = MODULE
    app = take_check(ok(app.run()), course, right=0)
    button(app, "Switch learner").click()
    app = ok(app.run())
    assert app.text_input(key="learner-name") is not None and not app.radio
    app = tab(sign_in(app, "Eli"), "My progress")
    assert set(app.dataframe[0].value["status"]) == {"not started"}
    assert [a.module for a in course.progress.record("dee").attempts] == [MODULE]


def test_a_learner_deletes_their_progress_and_is_signed_out(learn_settings):
    course = Training.from_settings(learn_settings)
    app = tab(sign_in(learn_page(), "Fay"), "My progress")
    button(app, "Yes, delete everything").click()
    app = ok(app.run())
    assert course.progress.learners() == []
    assert app.text_input(key="learner-name") is not None


def test_a_broken_paths_file_is_one_clear_message_on_the_page(learn_settings):
    (learn_settings.corpus_dir / "paths" / "worker.yaml").write_text("modules: [unclosed")
    app = sign_in(learn_page(), "Gus")
    app = tab(app, "My path")
    assert "worker.yaml is not valid YAML" in shown(app.error[0]) and "learn check" in shown(app.error[0])


# With the model: the chat and the trainer console


@pytest.fixture
def console_settings(shipped_settings, tmp_path, monkeypatch) -> Settings:
    settings = copy_shipped(shipped_settings, tmp_path)
    point_app_at(monkeypatch, settings, trainer_password_hash=PASSWORD_HASH)
    return settings


def test_ask_the_coach_about_a_lesson_prefers_its_documents_until_the_learner_leaves_it(console_settings):
    app = sign_in(learn_page(), "Hal")
    app.session_state["open_module"] = MODULE
    app = ok(app.run())
    button(app, "Ask the coach about this").click()
    app = ok(app.run())
    assert any("Asking about the lesson" in t for t in texts(app.info))
    app.switch_page("app.py")  # AppTest stays on the page it was given; the browser follows st.switch_page
    app.chat_input[0].set_value("what counts as a good score").run()
    answer = ok(app).session_state["messages"][-1].answer
    lesson_docs = {r.source for r in Training.from_settings(console_settings).module(MODULE).sections}
    assert answer.citations and answer.citations[0].source in lesson_docs
    button(app, "Ask about anything").click()
    app = ok(app.run())
    assert not any("Asking about the lesson" in t for t in texts(app.info))


def test_the_trainer_sees_a_learners_result_signs_it_off_and_works_the_draft_queue(console_settings):
    course = Training.from_settings(console_settings)
    learner = course.progress.sign_in("Ida", date.today())
    course.grade(learner, MODULE, {i.id: i.answer for i in course.quiz(MODULE)}, date.today())
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=RUN_SECONDS)
    app.switch_page("pages/1_Trainer_console.py")
    app = open_tab(log_in(app.run(), name="Tess"), "Training")
    completion = app.dataframe[0].value
    assert completion[completion["module"] == course.module(MODULE).title]["sign-off due"].item() == 1
    overview = app.dataframe[1].value
    assert overview[overview["learner"] == "Ida"]["sign-off due"].item() == 1
    button(app, "Sign off").click()
    app = ok(app.run())
    assert {r["module"]: r["status"] for r in course.progress_of(learner, date.today())["modules"]}[MODULE] == "passed"
    app.selectbox(key="draft-module").set_value("manager-ot-security")
    app = ok(app.run())
    button(app, "Write new drafts from the playbook").click()
    app = ok(app.run())
    drafts = course.drafts("manager-ot-security")
    valid = [d for d in drafts if not d.problems]
    assert drafts and "drafts written" in shown(app.success[0])
    before = len(course.quiz("manager-ot-security"))
    [approve] = [b for b in app.button if b.key == f"approve-{valid[0].id}"]
    approve.click()
    app = ok(app.run())
    assert len(course.quiz("manager-ot-security")) == before + 1
    assert ("Tess", "approve item", valid[0].id) in [
        (e.who, e.action, e.target) for e in AuditLog(console_settings.audit_path).entries()
    ]
    assert ("Tess", "sign off", MODULE) in [
        (e.who, e.action, e.target) for e in AuditLog(console_settings.audit_path).entries()
    ]


def test_a_trainer_edits_a_draft_into_shape_rejects_another_and_re_approves_a_changed_item(console_settings):
    course = Training.from_settings(console_settings)
    module = "manager-ot-security"
    (console_settings.corpus_dir / "quizzes" / f"{module}.yaml").unlink()  # nothing approved yet
    drafts = course.generate(module).drafts
    first, second = drafts[0], drafts[1]
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=RUN_SECONDS)
    app.switch_page("pages/1_Trainer_console.py")
    app = open_tab(log_in(app.run(), name="Tess"), "Training")
    app.selectbox(key="draft-module").set_value(module)
    app = ok(app.run())
    # An edit that breaks the item is refused with its reason, and nothing is approved.
    app.text_area[0].set_value("Same\nSame\nOther")
    [save] = [b for b in app.get("form_submit_button") if b.label == "Save and approve"][:1]
    save.click()
    app = ok(app.run())
    assert any("two options say the same" in shown(e) for e in app.error)
    assert course.quiz(module) == [] and first in course.drafts(module)  # the draft waits, unchanged
    [reject] = [b for b in app.button if b.key == f"reject-{second.id}"]
    reject.click()
    app = ok(app.run())
    assert second.id not in {d.id for d in course.drafts(module)}
    assert second.id not in {d.id for d in course.generate(module).drafts}
    # An approved item whose section changes comes back to the trainer, out of the check until re-approved.
    item = course.approve(next(d for d in course.drafts(module) if not d.problems and d.source.endswith(".md")))
    document = console_settings.corpus_dir / item.source
    heading = f"## {item.section}\n"
    document.write_text(document.read_text().replace(heading, heading + "\nA sentence added by an editor.\n", 1))
    assert course.quiz(module) == []
    app = ok(app.run())
    assert any("source section changed" in shown(w) for w in app.warning)
    [again] = [b for b in app.button if b.key == f"approve-{item.id}"]
    again.click()
    app = ok(app.run())
    assert [i.id for i in course.quiz(module)] == [item.id]
