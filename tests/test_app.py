"""The chat page and the evals page through Streamlit's AppTest, over a copy of the ingested shipped corpus."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest

from evals.runner import parse_case, run_cases, summary_of, write_results
from playbook_coach.ui import STORE_DOWN, counted, readable_time
from playbook_coach.ui_evals import eval_command
from rag.answering import STARTER_QUESTIONS
from rag.catalog import Catalog
from rag.interactions import InteractionLog
from rag.types import Audience

from conftest import REPO, copy_shipped, free_port, point_app_at, write_markdown

RUN_SECONDS = 300  # a run that loads the model on a busy 2-core machine


def plain(markdown: str) -> str:
    """What the reader sees of escaped Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n"))


def texts(elements) -> list[str]:
    return [plain(e.value) for e in elements]


def new_app() -> AppTest:
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=RUN_SECONDS)


def as_worker(app: AppTest) -> AppTest:
    app.run()
    app.radio(key="role_choice").set_value("Worker").run()
    return app


def ask(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def button(app: AppTest, label: str):
    [found] = [b for b in app.button if b.label == label]
    return found


def last_reply(app: AppTest):
    return app.chat_message[-1]


@pytest.fixture(scope="module")
def chat_home(shipped_settings, tmp_path_factory):
    return copy_shipped(shipped_settings, tmp_path_factory.mktemp("chat"))


@pytest.fixture
def app(chat_home, monkeypatch) -> AppTest:
    point_app_at(monkeypatch, chat_home)
    return new_app()


@pytest.fixture
def log(chat_home) -> InteractionLog:
    return InteractionLog(chat_home.logs_path)


def test_role_is_chosen_first_remembered_and_changeable(app):
    app.run()
    assert not app.exception
    assert app.radio(key="role_choice").value is None
    assert not app.chat_input, "no chat before a role is chosen"
    assert "Choose your role" in app.info[0].value
    app.radio(key="role_choice").set_value("Worker").run()
    starters = [b.label for b in app.button if b.key and b.key.startswith("starter-")]
    assert starters == list(STARTER_QUESTIONS[Audience.WORKER])
    app.run()
    assert app.radio(key="role_choice").value == "Worker"
    app.radio(key="role_choice").set_value("Manager").run()
    assert app.button(key="starter-0").label == STARTER_QUESTIONS[Audience.MANAGER][0]
    app.switch_page("pages/2_Evals.py").run()
    app.switch_page("app.py").run()
    assert app.radio(key="role_choice").value == "Manager", "the role survives a visit to another page"


def test_answer_is_cited_with_expandable_sources_and_the_whole_section(app, log):
    ask(as_worker(app), "How do I calculate availability?")
    reply = last_reply(app)
    answer = plain(reply.markdown[0].value)
    assert "[1]" in answer and "availability" in answer
    labels = [plain(e.label) for e in reply.expander]
    assert labels and labels[0].startswith("[1] OEE explained with a worked example")
    first = reply.expander[0]
    assert not first.caption, "no internal file path on the card"
    assert [b.proto.label for b in first.get("download_button")] == ["Download the original (text)"]
    snippet = first.text[0].value
    assert snippet.split(". ")[0] in answer
    first.toggle[0].set_value(True).run()
    [section] = [t.value for t in last_reply(app).expander[0].text]  # the whole section, in place of the snippet
    assert len(section) > len(snippet) and "Availability" in section
    latest = log.interactions(limit=1)[0]
    assert (latest.question, latest.audience) == ("How do I calculate availability?", "worker")
    assert latest.citations[0]["source"] == "worker/oee-explained.md"


def test_a_pdf_source_offers_its_file_at_the_cited_page_and_reads_without_hard_line_breaks(app):
    app.run()
    app.radio(key="role_choice").set_value("Manager").run()
    ask(app, "Give me a quick checklist for planning our first pilot.")
    card = next(e for e in last_reply(app).expander if "Pilot planning checklist" in plain(e.label))
    [download] = card.get("download_button")
    assert re.fullmatch(r"Download the original \(PDF, the passage is on page \d+\)", download.proto.label)
    card.toggle[0].set_value(True).run()
    card = next(e for e in last_reply(app).expander if "Pilot planning checklist" in plain(e.label))
    page = card.text[0].value
    assert "never spread beyond one machine" in page  # hard-wrapped after "spread" in the PDF's text


def test_a_procedure_shows_numbered_steps_that_survive_a_rerun(app):
    ask(as_worker(app), "What are the steps for lockout/tagout?")
    shown = "\n".join(m.value for m in last_reply(app).markdown)
    steps = re.findall(r"^(\d+)\. (.+)$", shown, re.MULTILINE)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5", "6"]
    assert plain(steps[0][1]).startswith("Tell the people affected") and plain(steps[0][1]).endswith("[1]")
    app.run()  # a rerun draws the conversation from the session: the same layout
    assert "\n".join(m.value for m in app.chat_message[-1].markdown) == shown


def test_a_new_session_on_the_same_device_finds_the_conversation_and_earlier_ones(app):
    ask(as_worker(app), "What are the steps for lockout/tagout?")
    device, shown = app.session_state["device"], app.chat_message[-1].markdown[0].value
    reloaded = new_app()
    reloaded.session_state["device"] = device  # what the device cookie gives a reloaded page
    reloaded.run()
    assert reloaded.radio(key="role_choice").value == "Worker"
    assert [m.markdown[0].value for m in reloaded.chat_message][-1] == shown
    button(reloaded, "New conversation").click().run()
    assert not reloaded.chat_message
    [earlier] = [b for b in reloaded.button if b.key and b.key.startswith("open-")]
    assert earlier.label.startswith("What are the steps for lockout/tagout?")
    earlier.click().run()
    assert reloaded.chat_message[-1].markdown[0].value == shown
    other = new_app()
    other.session_state["device"] = "f" * 32
    other.run()
    assert other.radio(key="role_choice").value is None and not other.chat_message, "another device sees nothing"


def test_related_questions_follow_an_answer_and_can_be_asked(app):
    ask(as_worker(app), "What is OEE?")
    related = [b for b in last_reply(app).button if b.key and b.key.startswith("suggest-")]
    assert related and "**Related questions**" in [m.value for m in last_reply(app).markdown]
    label = related[0].label
    related[0].click().run()
    assert plain(app.chat_message[-2].markdown[0].value) == label


def test_an_answer_given_for_another_role_says_so(app):
    ask(as_worker(app), "What is OEE?")
    app.radio(key="role_choice").set_value("Manager").run()
    assert "Answered for a worker" in [c.value for c in app.chat_message[-1].caption]


def test_a_procedure_can_be_ticked_off_step_by_step(app):
    ask(as_worker(app), "What are the steps for lockout/tagout?")
    app.toggle(key="checklist-1").set_value(True).run()
    steps = [c for c in last_reply(app).checkbox if c.key.startswith("step-1-")]
    assert [plain(c.label).split(". ")[0] for c in steps] == ["1", "2", "3", "4", "5", "6"]
    assert plain(steps[0].label).startswith("1. Tell the people affected")
    steps[0].check().run()
    steps[1].check().run()
    assert "2 of 6 steps done" in [c.value for c in last_reply(app).caption]


def test_follow_up_questions_carry_the_conversation(app, log):
    ask(as_worker(app), "What is OEE?")
    ask(app, "How do you work it out?")
    latest = log.interactions(limit=1)[0]
    assert latest.question == "How do you work it out?"
    assert [t["role"] for t in latest.history] == ["user", "assistant"]
    assert latest.history[0]["content"] == "What is OEE?"
    assert any("oee" in c["source"] for c in latest.citations)


def test_thumbs_and_comment_are_stored(app, log):
    ask(as_worker(app), "What is OEE?")
    interaction = log.interactions(limit=1)[0]
    app.feedback[0].set_value(0).run()  # thumbs down
    assert log.interactions(rating=-1, limit=1)[0].id == interaction.id
    app.text_input[0].input("It should say what a good score is.")
    button(app, "Send comment").click().run()
    stored = log.interactions(limit=1)[0]
    assert (stored.id, stored.rating, stored.comment) == (interaction.id, -1, "It should say what a good score is.")
    assert "comment was saved" in last_reply(app).caption[-1].value
    assert not last_reply(app).text_input, "no empty comment box left behind"
    app.feedback[0].set_value(1).run()
    assert log.interactions(limit=1)[0].rating == 1


def test_a_near_question_the_playbook_cannot_answer_suggests_the_nearest_sections(app):
    ask(as_worker(app), "What is Rockwell Automation's stock price today?")
    suggestions = [b.label for b in last_reply(app).button if b.key.startswith("suggest-")]
    assert suggestions and not set(suggestions) & set(STARTER_QUESTIONS[Audience.WORKER])


def test_abstention_is_friendly_and_suggests_questions_that_work(app):
    ask(as_worker(app), "What is the capital of France?")
    reply = last_reply(app)
    assert "doesn't cover that" in plain(reply.markdown[0].value)
    suggestions = [b for b in reply.button if b.key.startswith("suggest-")]
    assert [b.label for b in suggestions] == list(STARTER_QUESTIONS[Audience.WORKER][:3]), "nothing near: starters"
    question = suggestions[0].label
    suggestions[0].click().run()
    assert plain(app.chat_message[-2].markdown[0].value) == question
    assert "[1]" in plain(last_reply(app).markdown[0].value)


def test_the_playbook_saying_it_does_not_hold_a_fact_is_shown_cited_with_questions_it_can_answer(app):
    ask(as_worker(app), "Which chapters are in the SMEC playbook?")
    reply = last_reply(app)
    assert plain(reply.markdown[0].value).startswith("The contents of the SMEC playbook are not described")
    assert any("The playbook can answer questions like these:" in m.value for m in reply.markdown)
    assert [b.label for b in reply.button if b.key.startswith("suggest-")]
    assert [plain(e.label) for e in reply.expander][0].startswith("[1] The Smart Manufacturing Executive Council")


@pytest.mark.parametrize(
    "question, message",
    [
        ("", "Please type a question first."),
        ("   \n\t ", "Please type a question first."),
        ("x" * 20_000, "That question is 20,000 characters long"),
        ("?!?! ... ###", "That doesn't look like a question"),
    ],
)
def test_refused_input_gets_a_clear_message_and_no_answer(app, log, question, message):
    before = log.count()
    ask(as_worker(app), question)
    warnings = texts(last_reply(app).warning)
    assert warnings and warnings[0].startswith(message)
    assert log.count() == before
    if len(question) > 1000:
        assert len(app.chat_message[-2].markdown[0].value) < 2000, "a pasted essay is echoed shortened"


def test_html_and_markdown_in_a_question_show_as_typed(app):
    question = "<script>alert(1)</script> what is **OEE**? ![x](http://e.vil/t.png) [click](javascript:alert(1))"
    ask(as_worker(app), question)
    shown = app.chat_message[-2].markdown[0].value
    assert plain(shown) == question
    assert "<script>" not in shown and "](" not in shown
    every_markdown = [m for m in app.main.get("markdown")] + [m for m in app.sidebar.get("markdown")]
    assert every_markdown and not any(m.proto.allow_html for m in every_markdown)


def test_starter_question_and_new_conversation(app):
    as_worker(app).button(key="starter-0").click().run()
    assert plain(app.chat_message[0].markdown[0].value) == STARTER_QUESTIONS[Audience.WORKER][0]
    assert "[1]" in plain(last_reply(app).markdown[0].value)
    assert not [b for b in app.button if b.key and b.key.startswith("starter-")], "starters only on an empty chat"
    button(app, "New conversation").click().run()
    assert not app.chat_message
    assert app.button(key="starter-0").label == STARTER_QUESTIONS[Audience.WORKER][0]


def test_unreachable_store_is_a_friendly_message(chat_home, monkeypatch):
    point_app_at(monkeypatch, chat_home, chroma_server=f"127.0.0.1:{free_port()}")
    app = new_app().run()
    assert not app.exception
    assert texts(app.error) == [STORE_DOWN]
    assert not app.chat_input


def test_a_language_model_configured_without_its_client_package_says_how_to_install_it(chat_home, monkeypatch):
    monkeypatch.setitem(sys.modules, "langchain_ollama", None)  # the [llm] extra not installed
    point_app_at(monkeypatch, chat_home, llm_backend="ollama")
    app = new_app().run()
    assert not app.exception
    assert texts(app.error)[0].startswith("The ollama backend needs the language-model packages: pip install")
    assert not app.chat_input


def test_first_start_on_an_empty_home_ingests_the_corpus(settings, monkeypatch):
    write_markdown(
        settings.corpus_dir / "worker" / "forklift.md",
        "Forklift charging",
        "## Where to charge\n\nForklift batteries are charged only in the blue bay behind dock 4.",
        audience="worker",
        topic="safety",
    )
    point_app_at(monkeypatch, settings)
    assert not settings.home.exists()
    app = as_worker(new_app())
    assert list(Catalog(settings.catalog_path).files()) == ["worker/forklift.md"]
    ask(app, "Where are forklift batteries charged?")
    assert "blue bay" in plain(last_reply(app).markdown[0].value)


# The evals page
@pytest.fixture
def evals_app(settings, monkeypatch) -> AppTest:
    point_app_at(monkeypatch, settings)
    app = new_app()
    app.switch_page("pages/2_Evals.py")
    return app


def test_evals_page_without_a_run(evals_app):
    evals_app.run()
    assert not evals_app.exception
    assert "No eval run yet" in evals_app.info[0].value
    assert "Start a new eval run" not in [b.label for b in evals_app.button]
    assert "Log in on the Trainer console" in evals_app.caption[-1].value


def test_evals_page_shows_the_last_report(evals_app, settings, chat_home, make_engine):
    cases = [
        parse_case(
            {
                "id": "oee",
                "question": "What is OEE?",
                "expected_sources": ["worker/oee-explained.md"],
                "expected_facts": ["OEE"],
                "tags": ["oee"],
            }
        ),
        parse_case(
            {
                "id": "impossible",
                "question": "What is OEE?",
                "expected_sources": ["worker/oee-explained.md"],
                "expected_facts": ["purple elephants"],
                "tags": ["oee", "made-up"],
            }
        ),
    ]
    engine = make_engine(chat_home, log=False)  # eval questions stay out of the question log
    results = run_cases(engine, cases)
    write_results(settings.eval_report_dir, results, summary_of(results, chat_home, Path("golden.jsonl")))
    evals_app.run()
    assert not evals_app.exception
    shown = [plain(m.value) for m in evals_app.main.get("markdown")]
    assert "**1 of 2** worker questions answered with every key fact" in shown, "plain words first"
    assert not any("golden.jsonl" in c.value and "/" in c.value for c in evals_app.caption), "no file paths"
    [engineering] = [e for e in evals_app.expander if plain(e.label).startswith("Engineering figures")]
    metrics = {m.label: m for m in engineering.get("metric")}
    assert metrics.keys() >= {"hit@5", "mrr", "fact_recall", "groundedness"}
    assert metrics["hit@5"].proto.help.startswith("Share with a right document among the first 5 found")
    failing = sum(1 for r in results if r.problems)
    assert [plain(s.value) for s in evals_app.subheader] == [
        "Now and the baseline",
        "Per tag",
        f"Questions to look at ({failing})",
    ]
    [impossible] = [e for e in evals_app.expander if plain(e.label).startswith("impossible: What is OEE?")]
    assert "missing facts: purple elephants" in impossible.text[0].value
    assert len(evals_app.main.get("vega_lite_chart")) == 2


def test_evals_page_with_a_damaged_report(evals_app, settings):
    settings.eval_report_dir.mkdir(parents=True)
    (settings.eval_report_dir / "summary.json").write_text("{not json")
    evals_app.run()
    assert not evals_app.exception
    assert "cannot be read" in plain(evals_app.error[0].value)
    # A summary that reads, beside results with a broken line: the line is named.
    (settings.eval_report_dir / "summary.json").write_text('{"overall": {}}')
    (settings.eval_report_dir / "results.jsonl").write_text('{"id": "a"}\n\n{broken\n')
    evals_app.run()
    assert not evals_app.exception
    assert "line 3 is not JSON" in plain(evals_app.error[0].value)


def test_eval_run_button_is_for_logged_in_trainers(evals_app, settings, monkeypatch):
    monkeypatch.setenv(
        "PLAYBOOK_COACH_TRAINER_PASSWORD_HASH", bcrypt.hashpw(b"trainer pass 1", bcrypt.gensalt(4)).decode()
    )
    evals_app.run()
    assert "Start a new eval run" not in [b.label for b in evals_app.button]
    evals_app.switch_page("pages/1_Trainer_console.py").run()
    evals_app.text_input(key="trainer-name").input("Dana")
    evals_app.text_input(key="trainer-password").input("trainer pass 1")
    button(evals_app, "Log in").click().run()
    evals_app.switch_page("pages/2_Evals.py").run()
    assert button(evals_app, "Start a new eval run")
    assert Path(eval_command(settings)[0]).is_file(), "the button would start the installed playbook-coach"


def test_times_read_as_people_write_them():
    assert readable_time("2026-12-01T12:55:04+00:00") == "1 Dec 2026, 12:55 UTC"
    assert readable_time("2026-03-09T07:05:00.123Z") == "9 Mar 2026, 07:05 UTC"
    assert readable_time(None) == "?" and readable_time("yesterday") == "yesterday"
    assert readable_time("2026-12-01T12:55:04Z", "America/Chicago") == "1 Dec 2026, 06:55 CST"
    assert readable_time("2026-07-01T12:55:04Z", "Europe/Berlin") == "1 Jul 2026, 14:55 CEST"
    assert readable_time("2026-12-01T12:55:04Z", "Mars/Olympus") == "1 Dec 2026, 12:55 UTC"


def test_counts_read_as_english():
    assert [counted(n, "answer") for n in (0, 1, 2, 1200)] == ["0 answers", "1 answer", "2 answers", "1,200 answers"]
    assert counted(3, "flagged passage") == "3 flagged passages"


def call_arguments(code: str, opening: str) -> list[str]:
    """The argument text of each call that starts with ``opening``, up to its closing parenthesis."""
    found = []
    for match in re.finditer(re.escape(opening), code):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(code[end], 0)
            end += 1
        found.append(code[match.end() : end - 1])
    return found


def test_no_page_renders_raw_html():
    sources = [
        REPO / "app.py",
        *sorted((REPO / "pages").glob("*.py")),
        *sorted((REPO / "playbook_coach").glob("ui*.py")),
    ]
    for source in sources:
        code = source.read_text()
        assert "unsafe_allow_html" not in code, source
        # st.html three times only: the device cookie's script (the app's own random hex id and a number),
        # the constant script that scrolls to the newest question, and the app's own stylesheet.
        for call in call_arguments(code, "st.html("):
            cookie = "DEVICE_COOKIE" in call and "{device}" in call
            scroll = call == "SHOW_NEWEST_QUESTION, unsafe_allow_javascript=True"
            assert cookie or scroll or call == 'f"<style>{touch_css(everywhere)}</style>"', call


def test_language_model_down_gives_the_offline_answer_with_a_notice(chat_home, monkeypatch):
    point_app_at(
        monkeypatch,
        chat_home,
        llm_backend="openai",
        llm_base_url=f"http://127.0.0.1:{free_port()}/v1",
        llm_model="any",
        llm_timeout="5",
    )
    app = ask(as_worker(new_app()), "What is OEE?")
    reply = last_reply(app)
    assert "[1]" in plain(reply.markdown[0].value), "the offline answer is shown at once, not after a reload"
    assert "The language model did not answer" in plain(reply.caption[0].value)
    assert plain(reply.expander[0].label).startswith("[1] OEE")
