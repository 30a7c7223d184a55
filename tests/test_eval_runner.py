"""The eval runner, gate, report and `playbook-coach eval` on real engines and real corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evals.feedback import DraftCases
from evals.gate import BaselineError, check, load_baseline, new_baseline
from evals.metrics import Case, CitedPassage, Outcome
from evals.report import render
from evals.runner import CaseResult, DatasetError, load_cases, run_cases, summary_of, write_results
from playbook_coach.cli import cli
from rag.interactions import InteractionLog
from rag.types import Answer

from conftest import write_markdown
from openai_fake_server import ECHO, fake_chat_server

SHIPPED_CASES = [
    {
        "id": "oee",
        "question": "What is OEE?",
        "audience": "worker",
        "history": [],
        "expected_sources": ["worker/oee-explained.md"],
        "expected_facts": ["availability"],
        "must_abstain": False,
        "must_not_contain": [],
        "tags": ["worker", "oee"],
    },
    {
        "id": "followup",
        "question": "and how do I work it out?",
        "audience": "worker",
        "history": [{"role": "user", "content": "What is OEE?"}, {"role": "assistant", "content": "OEE is ..."}],
        "expected_sources": ["worker/oee-explained.md"],
        "expected_facts": [["availability", "performance"]],
        "must_abstain": False,
        "must_not_contain": [],
        "tags": ["followup"],
    },
    {
        "id": "cake",
        "question": "What is the best recipe for chocolate cake?",
        "audience": "manager",
        "history": [],
        "expected_sources": [],
        "expected_facts": [],
        "must_abstain": True,
        "must_not_contain": [],
        "tags": ["out-of-scope", "holdout"],
    },
    {
        "id": "html",
        "question": "<script>alert('x')</script> what does the andon light mean?",
        "audience": "worker",
        "history": [],
        "expected_sources": ["worker/dashboards-andon-and-alerts.md"],
        "expected_facts": [],
        "must_abstain": False,
        "must_not_contain": ["<script"],
        "tags": ["injection"],
    },
]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "line 1 is not JSON"),
        ('{"question": "q?"}', 'line 1: "id" must be a non-empty string'),
        ('{"id": "a", "question": "q?", "audience": "ceo"}', "unknown audience 'ceo'"),
        ('{"id": "a", "question": "q?", "expected_facts": [["x", 3]]}', "each expected_facts item must be a list"),
        ('{"id": "a", "question": "q?", "expected_facts": [""]}', "an expected_facts item is empty"),
        ('{"id": "a", "question": "q?", "history": [{"role": "bot", "content": "x"}]}', "each history turn needs"),
        ('{"id": "a", "question": "q?", "must_abstain": "yes"}', '"must_abstain" must be true or false'),
        ('{"id": "a", "question": "q?"}\n{"id": "a", "question": "again?"}', "line 2: duplicate id 'a'"),
        ("", "holds no cases"),
    ],
)
def test_bad_golden_lines_are_named(tmp_path: Path, line: str, message: str):
    path = tmp_path / "golden.jsonl"
    path.write_text(line, encoding="utf-8")
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_cases(path)


def test_cases_load_with_alternatives_history_and_unknown_keys(tmp_path: Path):
    rows = [{**SHIPPED_CASES[1], "notes": {"ignored": True}}]
    (case,) = load_cases(write_jsonl(tmp_path / "g.jsonl", rows))
    assert case.expected_facts == (("availability", "performance"),)
    assert case.history[0] == ("user", "What is OEE?")


def test_run_writes_results_summary_and_an_escaped_report(tmp_path: Path, shipped_settings, make_engine):
    engine = make_engine(shipped_settings, log=False)  # eval questions stay out of the question log
    cases = load_cases(write_jsonl(tmp_path / "golden.jsonl", SHIPPED_CASES))
    results = run_cases(engine, cases)
    summary = summary_of(results, shipped_settings, tmp_path / "golden.jsonl")
    out = tmp_path / "out"
    write_results(out, results, summary)
    html = render(summary, results, check(summary["overall"], None), None)

    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["oee", "followup", "cake", "html"]
    for row in rows:
        assert {"question", "answer", "abstained", "citations", "retrieved", "metrics", "latency_ms"} <= set(row)
        assert all(doc in {f["path"] for f in _files(engine)} for doc in row["retrieved"])
    oee = rows[0]
    assert oee["metrics"]["hit@5"] == 1.0
    assert oee["citations"] and oee["citations"][0]["passage"]  # the whole passage, for groundedness
    assert rows[2]["abstained"] and rows[2]["metrics"] == {"abstention_precision": 1.0, "abstention_recall": 1.0}
    assert "must_not_contain_violations" in rows[3]["metrics"]
    assert engine.catalog.generation() == engine.snapshots.get().generation

    saved = json.loads((out / "summary.json").read_text())
    assert saved["overall"]["cases"] == 4
    assert saved["holdout"]["cases"] == 1 and saved["tuning"]["cases"] == 3
    assert set(saved["tags"]) == {"worker", "oee", "followup", "out-of-scope", "holdout", "injection"}
    assert saved["settings"]["fusion"] == shipped_settings.fusion.value

    assert "<svg" in html and "Per tag" in html and "4 cases" in html and "holdout (never tuned on)" in html


def test_report_escapes_every_text_and_puts_regressions_first():
    evil = "<script>alert(1)</script>"
    case = Case(
        id=f"id{evil}",
        question=f"q {evil}",
        expected_sources=(f"src{evil}",),
        expected_facts=((f"fact{evil}",),),
        tags=(f"tag{evil}",),
        history=(("user", f"before {evil}"),),
    )
    failing = CaseResult(
        case,
        Outcome(f"answer {evil} [1]", False, (CitedPassage(1, f"doc{evil}", "text"),), (f"doc{evil}",)),
        [{"n": 1, "source": f"doc{evil}", "section": evil}],
        "offline",
        metrics={"hit@5": 0.0},
    )
    old = CaseResult(
        Case(id="old-failure", question="known problem?", expected_facts=(("x",),)), Outcome("no", False), [], "offline"
    )
    summary = {
        "dataset": f"g{evil}.jsonl",
        "generated_at": "now",
        "settings": {"fusion": evil},
        "backend": ["offline"],
        "overall": {"cases": 2, "hit@5": 0.0, "mrr": 0.5},
        "tuning": {},
        "holdout": {},
        "tags": {f"tag{evil}": {"cases": 1, "hit@5": 0.0}},
        "failing_cases": [case.id, "old-failure"],
    }
    baseline = {
        "metrics": {"hit@5": 1.0, "mrr": 0.5},
        "failing_cases": ["old-failure"],
        "updated_at": "then",
        "gate": {"floors": {}, "ceilings": {}, "tolerance": {"default": 0.03}},
    }
    html = render(summary, [old, failing], check(summary["overall"], baseline), baseline)
    assert "<script" not in html and html.count("&lt;script&gt;") >= 9
    assert "Gate FAILED" in html and "worse than the baseline 1.000" in html
    assert html.index("(regressed)") < html.index("Headline metrics") < html.index("old-failure")


def _files(engine) -> list[dict]:
    return [{"path": p} for p in engine.catalog.files()]


def test_refused_question_counts_as_an_abstention(tmp_path: Path, shipped_settings, make_engine):
    engine = make_engine(shipped_settings, log=False)  # eval questions stay out of the question log
    case = {"id": "dots", "question": "?!?", "expected_sources": [], "must_abstain": True}
    (result,) = run_cases(engine, load_cases(write_jsonl(tmp_path / "g.jsonl", [case])))
    assert result.outcome.abstained and "doesn't look like a question" in result.error
    assert result.to_dict()["error"] == result.error


def _summary(**metrics) -> dict:
    return {
        "dataset": "g.jsonl",
        "settings": {},
        "overall": {"cases": 10, **metrics},
        "holdout": {},
        "failing_cases": ["a"],
    }


def test_gate_floors_tolerance_and_lost_coverage():
    gate = {
        "floors": {"hit@5": 0.8},
        "ceilings": {"must_not_contain_violations": 0},
        "tolerance": {"default": 0.03, "abstention_recall": 0.1},
    }
    baseline = {
        "metrics": {"hit@5": 0.9, "mrr": 0.80, "abstention_recall": 0.9, "groundedness": 1.0, "latency_p95_ms": 1.0},
        "gate": gate,
    }
    current = {
        "hit@5": 0.79,
        "mrr": 0.76,
        "abstention_recall": 0.81,
        "groundedness": None,
        "must_not_contain_violations": 1.0,
        "latency_p95_ms": 900.0,
    }
    failed = {c.metric: c.failed for c in check(current, baseline) if c.failed}
    assert failed == {
        "hit@5": "0.790 is below the floor 0.800",
        "mrr": "0.760 is worse than the baseline 0.800 by 0.040 (tolerance 0.030)",
        "groundedness": "not measured on this dataset, but the baseline measured 1.000",
        "must_not_contain_violations": "1 is above the ceiling 0",
    }  # abstention recall is within its own tolerance; latency is never compared with a baseline
    within = {
        "hit@5": 0.88,
        "mrr": 0.78,
        "abstention_recall": 0.9,
        "groundedness": 0.98,
        "must_not_contain_violations": 0.0,
        "latency_p95_ms": 900.0,
    }
    assert not any(c.failed for c in check(within, baseline))
    # Baselines hold 4 decimals: the unrounded value of the same run is neither better nor worse.
    (same,) = [c for c in check({"mrr": 0.799996}, baseline) if c.metric == "mrr"]
    assert not same.worse and same.delta == 0.0


def test_new_baseline_keeps_the_hand_written_gate():
    previous = {"metrics": {}, "gate": {"floors": {"mrr": 0.5}, "ceilings": {}, "tolerance": {"default": 0.1}}}
    written = new_baseline(_summary(mrr=0.61234), previous)
    assert written["gate"] == previous["gate"]
    assert written["metrics"] == {"cases": 10, "mrr": 0.6123}
    assert written["failing_cases"] == ["a"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "is not JSON"),
        ('{"gate": {}}', 'has no "metrics" object'),
        ('{"metrics": {}, "gate": {"floors": {"hitt@5": 1}}}', "unknown metrics: hitt@5"),
    ],
)
def test_bad_baselines_are_explained(tmp_path: Path, content: str, message: str):
    path = tmp_path / "baseline.json"
    path.write_text(content)
    with pytest.raises(BaselineError, match=message):
        load_baseline(path)


@pytest.fixture
def tiny_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A two-document playbook and a three-case golden set, wired through the environment."""
    corpus = tmp_path / "corpus"
    write_markdown(
        corpus / "worker/oee.md",
        "OEE explained",
        "## What OEE is\n\nOEE multiplies availability, performance and quality. Availability is run "
        "time divided by planned production time.",
        audience="worker",
        topic="oee",
    )
    write_markdown(
        corpus / "worker/lockout.md",
        "Lockout tagout",
        "## Before you reach in\n\nAlways apply your personal lock to the energy isolation point before "
        "reaching into a machine. Never remove someone else's lock.",
        audience="worker",
        topic="safety",
    )
    monkeypatch.setenv("PLAYBOOK_COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PLAYBOOK_COACH_CORPUS_DIR", str(corpus))
    write_jsonl(
        tmp_path / "golden.jsonl",
        [
            {
                "id": "oee",
                "question": "What does OEE multiply?",
                "expected_sources": ["worker/oee.md"],
                "expected_facts": ["availability"],
                "tags": ["oee"],
            },
            {
                "id": "lock",
                "question": "Can I take off another person's lock?",
                "expected_sources": ["worker/lockout.md"],
                "expected_facts": [["never remove", "do not remove"]],
                "tags": ["safety", "holdout"],
            },
            {
                "id": "cake",
                "question": "What is the best recipe for chocolate cake?",
                "must_abstain": True,
                "tags": ["out-of-scope"],
            },
        ],
    )
    return tmp_path


def test_eval_command_updates_the_baseline_then_gates_on_it(tiny_home: Path):
    runner = CliRunner()
    baseline = tiny_home / "baseline.json"
    baseline.write_text(
        json.dumps(
            {
                "metrics": {},
                "gate": {"floors": {}, "ceilings": {"must_not_contain_violations": 0}, "tolerance": {"default": 0.0}},
            }
        )
    )
    args = [
        "eval",
        "--dataset",
        str(tiny_home / "golden.jsonl"),
        "--out",
        str(tiny_home / "out"),
        "--baseline",
        str(baseline),
    ]

    first = runner.invoke(cli, [*args, "--update-baseline"])
    assert first.exit_code == 0, first.output
    assert "baseline written" in first.output
    written = json.loads(baseline.read_text())
    assert written["gate"]["tolerance"] == {"default": 0.0} and written["metrics"]["cases"] == 3
    for name in ("results.jsonl", "summary.json", "report.html"):
        assert (tiny_home / "out" / name).is_file()
    assert InteractionLog(tiny_home / "home" / "logs.sqlite3").count() == 0  # evals stay out of the log

    second = runner.invoke(cli, [*args, "--json"])
    assert second.exit_code == 0, second.output
    verdict = json.loads(second.output.strip().splitlines()[-1])
    assert verdict["passed"] and verdict["summary"]["holdout"]["cases"] == 1

    written["metrics"]["mrr"] = 2.0  # a baseline no run can match: the gate must fail and say why
    baseline.write_text(json.dumps(written))
    third = runner.invoke(cli, args)
    assert third.exit_code == 1
    assert "GATE FAILED" in third.output and "mrr: " in third.output and "worse than the baseline 2.000" in third.output

    written["gate"]["floors"] = {"hit@5": 1.01}  # below its floors, a run never becomes the baseline
    baseline.write_text(json.dumps(written))
    refused = runner.invoke(cli, [*args, "--update-baseline"])
    assert refused.exit_code == 1 and "baseline NOT written" in refused.output
    assert json.loads(baseline.read_text()) == written


def test_eval_command_rejects_bad_input_with_a_message(tiny_home: Path):
    runner = CliRunner()
    missing = runner.invoke(
        cli, ["eval", "--dataset", str(tiny_home / "golden.jsonl"), "--baseline", str(tiny_home / "nope.json")]
    )
    assert missing.exit_code == 2 and "cannot read the baseline" in missing.output
    (tiny_home / "bad.jsonl").write_text('{"id": "x"}\n')
    bad = runner.invoke(cli, ["eval", "--dataset", str(tiny_home / "bad.jsonl")])
    assert bad.exit_code == 2 and 'bad.jsonl line 1: "question" must be a string' in bad.output
    assert runner.invoke(cli, ["eval"]).exit_code == 2  # --dataset is required
    for result in (missing, bad):
        assert "Traceback" not in result.output


def test_unguarded_eval_scores_the_models_text_as_written(tiny_home: Path, monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    args = [
        "eval",
        "--dataset",
        str(tiny_home / "golden.jsonl"),
        "--out",
        str(tiny_home / "out"),
        "--json",
        "--unguarded",
    ]
    offline = runner.invoke(cli, args)
    assert offline.exit_code == 2 and "--unguarded measures a language model" in offline.output
    with fake_chat_server() as server:
        server.behaviour = ECHO  # uncited, then invented: what a small model does
        for key, value in {"BACKEND": "openai", "BASE_URL": server.url, "MODEL": "x"}.items():
            monkeypatch.setenv(f"PLAYBOOK_COACH_LLM_{key}", value)
        unguarded = runner.invoke(cli, args)
        guarded = runner.invoke(cli, args[:-1])
        asked = len(server.requests)
    assert unguarded.exit_code == 1, unguarded.output  # the ceiling on uncited sentences fails it
    measured, checked = (json.loads(r.stdout)["summary"] for r in (unguarded, guarded))
    assert measured["backend"] == ["openai unguarded"]
    assert measured["overall"]["uncited_sentences"] >= 2  # both answerable cases, as written
    assert measured["overall"]["abstention_recall"] == 0.0  # asked the cake question too, and it answered
    assert checked["overall"]["uncited_sentences"] == 0 and checked["overall"]["groundedness"] == 1.0
    assert asked == 3 + 2  # unguarded asks every case; guarded skips the one the playbook cannot answer


def test_promote_feedback_writes_thumbs_down_drafts(tiny_home: Path):
    log = InteractionLog(tiny_home / "home" / "logs.sqlite3")
    answer = Answer("Wrong answer [1].", (), False, "offline")
    bad = log.record("worker", "why is the line red?", answer)
    good = log.record("manager", "what is OEE?", answer)
    log.add_feedback(bad, -1, "not what I asked")
    log.add_feedback(good, 1)
    out = tiny_home / "drafts.jsonl"
    result = CliRunner().invoke(cli, ["eval", "promote-feedback", "--out", str(out)])
    assert result.exit_code == 0, result.output
    drafts = [json.loads(line) for line in out.read_text().splitlines()]
    assert [d["question"] for d in drafts] == ["why is the line red?"]
    assert drafts[0]["notes"]["comment"] == "not what I asked" and "draft" in drafts[0]["tags"]
    assert "1 draft case(s)" in result.output


def test_accepted_trainer_cases_are_asked_by_every_eval_and_gate_it(tiny_home: Path):
    log = InteractionLog(tiny_home / "home" / "logs.sqlite3")
    home = tiny_home / "home"
    drafts = DraftCases(home / "evals" / "drafts.jsonl", home / "evals" / "trainer-cases.jsonl")
    for question in ("Can I remove someone else's lock?", "What does OEE multiply?"):
        asked = log.record("worker", question, Answer("Wrong [1].", (), False, "offline"))
        log.add_feedback(asked, -1)
        assert drafts.add(log.interactions(limit=1)[0]) and not drafts.add(log.interactions(limit=1)[0])
    lock, oee = sorted(d["id"] for d in drafts.drafts())
    drafts.accept(lock, ["never remove"], ["worker/lockout.md"], False)
    golden = str(tiny_home / "golden.jsonl")
    passed = CliRunner().invoke(cli, ["eval", "--dataset", golden, "--out", str(tiny_home / "out")])
    assert passed.exit_code == 0, passed.output
    assert "trainer cases: 1 of 1 pass" in passed.output
    drafts.accept(oee, ["the best chocolate cake"], [], False)  # a fact the playbook does not hold: it fails
    failed = CliRunner().invoke(cli, ["eval", "--dataset", golden, "--out", str(tiny_home / "out")])
    assert failed.exit_code == 1
    assert "trainer cases: 1 of 2 pass" in failed.output
    assert f"trainer case {oee} 'What does OEE multiply?'" in failed.output
    assert drafts.drafts() == []
    with pytest.raises(ValueError, match="no draft"):
        drafts.accept(oee, ["x"], [], False)
