"""Training mode: how long a learner waits for the day's review, a knowledge check and their progress.

On a copy of the shipped corpus (its paths and 140 items), with LEARNERS learners who have each taken every
check of their path once (about 80 answers each, a third of them wrong), then on the next day:
- today's review: p50/p95 of ``Training.todays_review`` (the due items, read from SQLite and checked
  against the current sections), target p95 <= 250 ms;
- a module's knowledge check (``Training.quiz``) and a learner's progress page (``progress_of``).
Everything is read from disk each time, as the app does: trainers edit paths and items while it runs.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, timedelta

from bench.common import REPO, WORK, Report, percentiles, run_main, say, timed

NAME = "learn_review"
LEARNERS = 10 if os.environ.get("PLAYBOOK_BENCH_QUICK") else 50
TODAY = date(2026, 12, 1)


def run() -> Report:
    from learn.progress import Progress
    from learn.training import Training

    report = Report(NAME)
    root = WORK / "learn"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "corpus", root / "corpus")
    course = Training(root / "corpus", Progress(root / "learning.sqlite3"), root / "drafts", max_bytes=20 * 2**20)
    paths = course.paths()
    say(f"{LEARNERS} learners, each through every check of one path")
    with timed() as setup:
        learners = []
        for n in range(LEARNERS):
            learner = course.progress.sign_in(f"Learner {n}", TODAY)
            for module in paths[n % len(paths)].modules:
                items = course.quiz(module.id)
                course.grade(
                    learner, module.id, {i.id: i.answer if (k + n) % 3 else None for k, i in enumerate(items)}, TODAY
                )
            learners.append(learner)
    report.add("set-up: checks graded per second", round(LEARNERS * 9 / setup.wall, 1), note=f"{setup.wall:.1f} s")
    tomorrow = TODAY + timedelta(days=1)
    review_ms, quiz_ms, progress_ms = [], [], []
    for learner in learners:
        with timed() as t:
            due = course.todays_review(learner, tomorrow)
        review_ms.append(t.wall * 1000)
        assert due, "every learner missed items yesterday"
        with timed() as t:
            course.quiz("worker-oee")
        quiz_ms.append(t.wall * 1000)
        with timed() as t:
            course.progress_of(learner, tomorrow)
        progress_ms.append(t.wall * 1000)
    review, quiz, progress = percentiles(review_ms), percentiles(quiz_ms), percentiles(progress_ms)
    report.data.update(review_ms=review, quiz_ms=quiz, progress_ms=progress)
    report.add("today's review: p50", review["p50"], unit=" ms")
    report.add("today's review: p95", review["p95"], "<=", 250, unit=" ms")
    report.add("knowledge check: p95", quiz["p95"], unit=" ms")
    report.add("progress page: p95", progress["p95"], unit=" ms")
    report.add("review / knowledge check, p50 ratio", round(review["p50"] / quiz["p50"], 2), unit="x")
    return report


if __name__ == "__main__":
    run_main(run)
