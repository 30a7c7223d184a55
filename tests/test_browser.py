"""The real app in a real browser: `streamlit run app.py` on a loopback port, driven by headless Chromium."""

from __future__ import annotations

import os
import subprocess  # nosec B404: starts our own app with a fixed argument list
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import bcrypt
import pytest

from evals.runner import parse_case, run_cases, summary_of, write_results
from rag.catalog import Catalog
from rag.config import Settings

from conftest import REPO, SCREENSHOTS, copy_shipped, free_port, stop, wait_until_serving, write_styled_pdf

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TRAINER_PASSWORD = "a browser test's password"
TRAINER_HASH = bcrypt.hashpw(TRAINER_PASSWORD.encode(), bcrypt.gensalt(4)).decode()  # low cost: tests only
START_SECONDS = 300  # model load and the incremental ingest on a busy 2-core machine
ANSWER_SECONDS = 120

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    wait_until_serving(
        process, log, 60, "streamlit", lambda: urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).close()
    )  # nosec B310


@pytest.fixture
def app_home(shipped_settings, tmp_path: Path) -> Settings:
    """A copy of the ingested shipped corpus (so the start is quick)."""
    return copy_shipped(shipped_settings, tmp_path)


@pytest.fixture
def app_url(app_home: Settings, tmp_path: Path) -> Iterator[str]:
    """The app on a free loopback port, over ``app_home``."""
    settings = app_home
    port = free_port()
    env = {
        **os.environ,
        "PLAYBOOK_COACH_HOME": str(settings.home),
        "PLAYBOOK_COACH_CORPUS_DIR": str(settings.corpus_dir),
        "PLAYBOOK_COACH_CONFIG": str(tmp_path / "none.toml"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLAYBOOK_COACH_TRAINER_PASSWORD_HASH": TRAINER_HASH,
    }
    log = tmp_path / "streamlit.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # nosec B603
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(REPO / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module", autouse=True)
def screenshots() -> Path:
    """A fresh folder for this run's pictures (conftest lists them at the end)."""
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    time.sleep(1)  # let expanders and reruns settle before the picture
    shot = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    return shot


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=820,1180",
    ):
        options.add_argument(flag)  # 820 px wide: a tablet in portrait
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def ask(driver: webdriver.Chrome, question: str) -> None:
    box = WebDriverWait(driver, 30).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid='stChatInputTextArea']"))
    )
    box.send_keys(question)
    box.send_keys(Keys.ENTER)


RERUN_RACES = (StaleElementReferenceException, ElementClickInterceptedException, ElementNotInteractableException)


def wait_for(driver: webdriver.Chrome, condition, seconds: float, shots: Path):
    """WebDriverWait, but a timeout leaves a screenshot and says what the page showed. An element a rerun redraws
    while the condition reads or clicks it (stale, covered, not yet ready for input) means: look again."""
    try:
        return WebDriverWait(driver, seconds, ignored_exceptions=RERUN_RACES).until(condition)
    except TimeoutException:
        driver.save_screenshot(str(shots / "timeout.png"))
        main = driver.find_elements(By.TAG_NAME, "main")
        pytest.fail(f"timed out after {seconds} s; the page showed:\n{main[0].text if main else driver.title}")


def click(driver: webdriver.Chrome, xpath: str, seconds: float = 60) -> None:
    """Click the first element at ``xpath`` once it shows, finding it again if a rerun redraws it first."""

    def clicked(d: webdriver.Chrome) -> bool:
        found = d.find_elements(By.XPATH, xpath)
        if found:
            found[0].click()
        return bool(found)

    wait_for(driver, clicked, seconds, SCREENSHOTS)


def bubbles(driver: webdriver.Chrome, who: str) -> list:
    """Chat messages of ``who`` ("User" or "Assistant"), told apart by their avatar."""
    return [
        m
        for m in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")
        if m.find_elements(By.CSS_SELECTOR, f"[data-testid='stChatMessageAvatar{who}']")
    ]


def assistant_texts(driver: webdriver.Chrome) -> list[str]:
    return [m.text for m in bubbles(driver, "Assistant")]


def test_pick_a_role_ask_and_see_a_cited_answer(app_url, browser):
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, "What is OEE?")
    wait_for(
        browser,
        lambda d: (
            any("[1]" in text for text in assistant_texts(d))
            and d.find_elements(By.CSS_SELECTOR, "[data-testid='stExpander']")
        ),
        ANSWER_SECONDS,
        SCREENSHOTS,
    )
    answer = next(text for text in assistant_texts(browser) if "[1]" in text)
    assert "OEE) is" in answer or "OEE is" in answer  # "Overall Equipment Effectiveness (OEE) is a score ..."
    sources = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stExpander'] summary")
    assert sources and "[1] OEE" in sources[0].text  # after the arrow icon's ligature name
    sources[0].click()
    snippet = browser.find_element(By.CSS_SELECTOR, "[data-testid='stExpander'] [data-testid='stText']")
    WebDriverWait(browser, 10).until(lambda d: snippet.is_displayed() and snippet.text.strip())
    assert snippet.text.split(". ")[0] in answer, "the card shows the cited passage"
    screenshot(browser, "cited-answer")


def choose_role(driver: webdriver.Chrome, role: str) -> None:
    label = f"//label[.//p[normalize-space()='{role}']]"
    chosen = lambda d: d.find_element(By.XPATH, f"{label}//input").is_selected()  # noqa: E731
    # For a second after an answer the page scrolls to the newest question; a tap in that second can miss, as a
    # thumb's would: tap again.
    for _ in range(3):
        click(driver, label, START_SECONDS)
        try:
            WebDriverWait(driver, 10, ignored_exceptions=RERUN_RACES).until(chosen)
            return
        except TimeoutException:
            continue
    wait_for(driver, chosen, 30, SCREENSHOTS)


def shown_steps(driver: webdriver.Chrome) -> list[str]:
    """The numbered steps of the latest answer, as shown."""
    answers = bubbles(driver, "Assistant")
    return [li.text for li in answers[-1].find_elements(By.CSS_SELECTOR, "ol > li")] if answers else []


def test_a_procedure_reads_as_numbered_steps_that_survive_a_reload(app_url, browser):
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, "What are the steps for lockout/tagout?")
    wait_for(browser, lambda d: len(shown_steps(d)) == 6, ANSWER_SECONDS, SCREENSHOTS)
    steps = shown_steps(browser)
    assert steps[0].startswith("Tell the people affected") and steps[-1].startswith("Try to start the machine")
    screenshot(browser, "lockout-steps-tablet")
    browser.refresh()  # a reload, or a tablet waking up: the same device, a new session
    wait_for(browser, lambda d: shown_steps(d) == steps, START_SECONDS, SCREENSHOTS)
    checked = browser.find_element(By.XPATH, "//label[.//p[normalize-space()='Worker']]//input")
    assert checked.is_selected(), "the role survives the reload too"
    screenshot(browser, "lockout-steps-after-reload")
    click(browser, "//label[.//p[normalize-space()='Tick off the steps as I go']]")
    first = "//label[.//p[starts-with(normalize-space(), '1. Tell the people affected')]]"
    ticked = lambda d: "1 of 6 steps done" in bubbles(d, "Assistant")[-1].text  # noqa: E731
    for _ in range(3):  # a click that lands while the toggle's rerun redraws the list is lost: click again
        box = wait_for(browser, lambda d: d.find_elements(By.XPATH, first), 30, SCREENSHOTS)[0]
        # Mid-page, as a thumb would find it: scrolled to the top edge it sits under the page's sticky header.
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
        try:
            if not box.find_element(By.TAG_NAME, "input").is_selected():
                box.click()
            WebDriverWait(browser, 10).until(ticked)
            break
        except (TimeoutException, *RERUN_RACES):
            continue
    wait_for(browser, ticked, 30, SCREENSHOTS)
    screenshot(browser, "lockout-checklist-tablet")


def in_view(driver: webdriver.Chrome, element) -> bool:
    """The element's top edge shows in the window, below the app's header bar."""
    top, header, height = driver.execute_script(
        "const header = document.querySelector(\"[data-testid='stHeader']\");"
        "return [arguments[0].getBoundingClientRect().top, header ? header.getBoundingClientRect().bottom : 0,"
        " window.innerHeight];",
        element,
    )
    return header <= top < height


def test_a_question_asked_after_switching_role_shows_with_its_answer(app_url, browser):
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, "What are the steps for lockout/tagout?")
    wait_for(browser, lambda d: len(shown_steps(d)) == 6, ANSWER_SECONDS, SCREENSHOTS)
    choose_role(browser, "Manager")  # at the top of the page, far above the chat box pinned to the bottom
    question = "What does a complete pilot budget cover?"
    ask(browser, question)
    wait_for(
        browser, lambda d: len(assistant_texts(d)) == 2 and "[1]" in assistant_texts(d)[-1], ANSWER_SECONDS, SCREENSHOTS
    )
    assert bubbles(browser, "User")[-1].text.endswith(question)
    # found afresh each time: a rerun may redraw the bubble
    wait_for(browser, lambda d: in_view(d, bubbles(d, "User")[-1]), 10, SCREENSHOTS)
    assert in_view(browser, bubbles(browser, "Assistant")[-1]), "the answer starts on screen, below its question"
    screenshot(browser, "question-in-view-after-role-switch")


def test_html_in_a_question_shows_as_text_and_never_runs(app_url, browser):
    browser.get(app_url)
    choose_role(browser, "Manager")
    ask(browser, 'What is OEE? <img src=x onerror="window.pwned=1"><script>window.pwned=2</script> **bold**')
    wait_for(
        browser,
        lambda d: (
            len(assistant_texts(d)) == 1  # an answer or an abstention: the reply is in
            and d.find_elements(By.CSS_SELECTOR, "[data-testid='stFeedback']")
        ),
        ANSWER_SECONDS,
        SCREENSHOTS,
    )
    [question] = bubbles(browser, "User")
    assert question.text.endswith('<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> **bold**')
    assert not question.find_elements(By.CSS_SELECTOR, "img[src='x'], script, strong")
    assert browser.execute_script("return window.pwned === undefined")


TOUCH_TARGETS = {  # what a finger must hit on the chat page, by its data-testid
    "thumbs": "[data-testid='stFeedback'] button",
    "role choice": "[data-testid='stRadio'] label",
    "question box": "[data-testid='stChatInputTextArea']",
    "source card": "[data-testid='stExpander'] summary",
    "buttons": "main button",
    "page links": "[data-testid='stPageLink'] a",
}


def test_touch_targets_are_44_px_or_more_on_a_tablet(app_url, browser):
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, "What is OEE?")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, TOUCH_TARGETS["thumbs"]), ANSWER_SECONDS, SCREENSHOTS)
    time.sleep(1)
    small = {}
    for name, selector in TOUCH_TARGETS.items():
        sizes = [
            (e.size["width"], e.size["height"])
            for e in browser.find_elements(By.CSS_SELECTOR, selector)
            if e.is_displayed()
        ]
        assert sizes, f"no {name} on the page"
        too_small = [size for size in sizes if min(size) < 44]
        if too_small:
            small[name] = too_small
    assert not small, f"below 44 px at 820 px wide: {small}"
    screenshot(browser, "touch-targets-tablet")


def log_in_as_trainer(driver: webdriver.Chrome, app_url: str, name: str = "Dana") -> None:
    driver.get(f"{app_url}/Trainer_console")
    password = wait_for(
        driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input[type='password']"), START_SECONDS, SCREENSHOTS
    )[0]
    driver.find_element(By.CSS_SELECTOR, "input[aria-label='Your name']").send_keys(name)
    password.send_keys(TRAINER_PASSWORD)
    click(driver, "//button[.//p[normalize-space()='Log in']]")


def selected_tab(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.CSS_SELECTOR, "[role='tab'][aria-selected='true']").text


def test_the_trainer_console_stays_on_its_tab_after_an_action(app_url, browser):
    log_in_as_trainer(browser, app_url)
    tab = "//*[@role='tab'][normalize-space()='Documents']"
    click(browser, tab)
    click(browser, "//button[.//p[normalize-space()='Re-ingest the corpus']]")
    wait_for(browser, lambda d: "Re-ingested:" in d.find_element(By.TAG_NAME, "main").text, ANSWER_SECONDS, SCREENSHOTS)
    assert selected_tab(browser) == "Documents", "the console stays where the trainer acted"
    # the table is drawn after the message, later still on a busy machine
    table = wait_for(
        browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid='stDataFrame']"), ANSWER_SECONDS, SCREENSHOTS
    )
    assert table.size["width"] >= 600, "the documents table gets the page's width at 820 px (no open sidebar)"
    screenshot(browser, "console-after-reingest-tablet")


def test_the_insights_tab_shows_gaps_and_a_chart_at_tablet_width(app_url, browser):
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, "What is the wifi password for the canteen?")
    wait_for(
        browser, lambda d: "doesn't cover that" in d.find_element(By.TAG_NAME, "main").text, ANSWER_SECONDS, SCREENSHOTS
    )
    log_in_as_trainer(browser, app_url)
    click(browser, "//*[@role='tab'][normalize-space()='Insights']")
    main = lambda d: d.find_element(By.TAG_NAME, "main").text  # noqa: E731
    # the heading renders before the list under it: wait for the gap itself
    wait_for(browser, lambda d: "What is the wifi password for the canteen?" in main(d), ANSWER_SECONDS, SCREENSHOTS)
    assert "Content gaps" in main(browser)
    wait_for(
        browser,
        lambda d: d.find_elements(
            By.CSS_SELECTOR, "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
        ),
        60,
        SCREENSHOTS,
    )
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 820, "no sideways scrolling"
    screenshot(browser, "console-insights-tablet")


def test_a_trainer_turns_a_gap_into_a_verified_answer_workers_get(app_url, browser):
    question = "Can I wear gloves near the drill press?"
    main = lambda d: d.find_element(By.TAG_NAME, "main").text  # noqa: E731
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, question)
    wait_for(browser, lambda d: "doesn't cover that" in main(d), ANSWER_SECONDS, SCREENSHOTS)
    log_in_as_trainer(browser, app_url)
    click(browser, "//*[@role='tab'][normalize-space()='Insights']")
    click(browser, f"//summary[.//p[starts-with(normalize-space(), {question!r})]]", ANSWER_SECONDS)
    click(browser, "//label[.//p[normalize-space()='Write the answer']]", 30)
    answer = WebDriverWait(browser, 30).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, "textarea[aria-label^='Answer']"))
    )
    answer.send_keys(
        "No: never wear gloves near a rotating drill press, because a glove can catch and pull your hand in."
    )
    verifier = browser.find_element(By.CSS_SELECTOR, "input[aria-label='Verified by (your name)']")
    assert verifier.get_attribute("value") == "Dana", "the name given at login"
    screenshot(browser, "console-verified-answer-form-tablet")
    click(browser, "//button[.//p[normalize-space()='Save as a verified answer']]")
    wait_for(browser, lambda d: "Verified answer saved and live" in main(d), ANSWER_SECONDS, SCREENSHOTS)
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, "are gloves ok at the drill press?")
    wait_for(browser, lambda d: "Verified by a trainer (Dana)" in main(d), ANSWER_SECONDS, SCREENSHOTS)
    assert "never wear gloves near a rotating drill press" in assistant_texts(browser)[-1]
    screenshot(browser, "chat-verified-answer-tablet")


def test_an_answer_half_written_for_a_gap_stays_with_it_when_a_worker_asks_meanwhile(app_url, browser):
    # found in the browser: a worker's question regrouped the gaps while a trainer wrote, and the draft was lost
    first, second = "What is the wifi password for the canteen?", "Can I wear gloves near the drill press?"
    main = lambda d: d.find_element(By.TAG_NAME, "main").text  # noqa: E731
    browser.get(app_url)
    choose_role(browser, "Worker")
    for question in (first, second):
        ask(browser, question)
        wait_for(
            browser,
            lambda d, q=question: q in main(d) and main(d).count("doesn't cover that") >= 1,
            ANSWER_SECONDS,
            SCREENSHOTS,
        )
    wait_for(browser, lambda d: main(d).count("doesn't cover that") >= 2, ANSWER_SECONDS, SCREENSHOTS)
    log_in_as_trainer(browser, app_url)
    click(browser, "//*[@role='tab'][normalize-space()='Insights']")
    gap = f"//details[.//summary[.//p[starts-with(normalize-space(), {second!r})]]]"
    click(browser, f"{gap}//summary", ANSWER_SECONDS)
    click(browser, f"{gap}//label[.//p[normalize-space()='Write the answer']]", 30)
    draft = "No: never wear gloves near a rotating drill press."
    WebDriverWait(browser, 30).until(
        EC.element_to_be_clickable((By.XPATH, f"{gap}//textarea[starts-with(@aria-label, 'Answer')]"))
    ).send_keys(draft)
    trainer = browser.current_window_handle
    browser.switch_to.new_window("tab")  # a worker asks the same again, in other words, meanwhile
    browser.get(app_url)
    choose_role(browser, "Worker")
    ask(browser, "are gloves ok to wear when using the drill press?")
    wait_for(browser, lambda d: "doesn't cover that" in main(d), ANSWER_SECONDS, SCREENSHOTS)
    browser.close()
    browser.switch_to.window(trainer)
    click(browser, "//button[normalize-space()='Last 7 days']")  # the trainer's page reads the log again
    wait_for(browser, lambda d: "(2 questions)" in main(d), ANSWER_SECONDS, SCREENSHOTS)
    drafts = [
        a.get_attribute("value")
        for a in browser.find_elements(By.CSS_SELECTOR, "textarea[aria-label^='Answer']")
        if a.is_displayed()
    ]
    assert drafts == [draft], drafts
    screenshot(browser, "console-draft-kept-tablet")


def test_an_upload_left_at_once_still_goes_live_with_its_pdf_sections(app_home, app_url, browser, tmp_path):
    # long enough to embed that leaving the page lands while it is ingesting
    filler = [("body", f"Keep the die cart at bay {n} clear of pallets and parked carts. " * 20) for n in range(60)]
    pdf = write_styled_pdf(
        tmp_path / "press-7-changeover-card.pdf",
        [
            [
                ("title", "Press 7 changeover card"),
                ("heading", "Who signs off the first part after a die change on Press 7?"),
                (
                    "body",
                    "After a die change on Press 7, the first part is signed off by the quality technician on shift.",
                ),
                ("heading", "Where does the die cart go?"),
                *filler,
            ]
        ],
    )
    log_in_as_trainer(browser, app_url)
    click(browser, "//*[@role='tab'][normalize-space()='Upload']")
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "input[type='file']"))).send_keys(
        str(pdf)
    )
    click(browser, "//button[.//p[normalize-space()='Upload and ingest']]")
    wait_for(browser, lambda d: "Ingesting" in d.find_element(By.TAG_NAME, "main").text, 30, SCREENSHOTS)
    browser.get(app_url)  # called away mid-ingest: the tablet goes back to the chat
    catalog = Catalog(app_home.catalog_path)
    wait_for(browser, lambda d: "uploads/press-7-changeover-card.pdf" in catalog.files(), ANSWER_SECONDS, SCREENSHOTS)
    choose_role(browser, "Worker")
    ask(browser, "who signs off the first part after a die change on press 7")
    wait_for(browser, lambda d: "[1]" in "".join(assistant_texts(d)), ANSWER_SECONDS, SCREENSHOTS)
    assert "the first part is signed off by the quality technician on shift" in assistant_texts(browser)[-1]
    sources = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stExpander'] summary")
    assert "Press 7 changeover card › Who signs off the first part after a die change on Press 7?" in sources[0].text
    screenshot(browser, "upload-left-at-once-live-tablet")


def test_the_answer_quality_page_speaks_plainly(app_home, app_url, browser, make_engine):
    cases = [
        parse_case(
            {
                "id": "oee",
                "question": "What is OEE?",
                "audience": "worker",
                "expected_sources": ["worker/oee-explained.md"],
                "expected_facts": ["Availability"],
            }
        ),
        parse_case(
            {
                "id": "price",
                "question": "What was CESMII's share price last year?",
                "expected_sources": [],
                "must_abstain": True,
            }
        ),
    ]
    engine = make_engine(app_home, log=False)  # eval questions stay out of the question log
    results = run_cases(engine, cases)
    write_results(app_home.eval_report_dir, results, summary_of(results, app_home, Path("golden.jsonl")))
    browser.get(f"{app_url}/Evals")
    main = lambda d: d.find_element(By.TAG_NAME, "main").text  # noqa: E731
    wait_for(browser, lambda d: "worker questions answered with every key fact" in main(d), START_SECONDS, SCREENSHOTS)
    text = main(browser)
    assert "1 of 1 worker questions answered with every key fact" in text
    assert "1 of 1 questions the playbook cannot answer were declined instead of guessed" in text
    assert "hit@5" not in text, "the engineering figures are one click away, not first"
    assert str(app_home.home) not in text and "/" not in text.split("Engineering figures")[0].split("run ")[0]
    screenshot(browser, "answer-quality-page-tablet")


def open_learn_tab(driver: webdriver.Chrome, label: str) -> None:
    click(driver, f"//*[@role='tab'][normalize-space()={label!r}]")


def sign_in_learner(driver: webdriver.Chrome, app_url: str, name: str) -> None:
    driver.get(f"{app_url}/Learn")
    box = wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, "input[aria-label='Your name or badge code']"),
        START_SECONDS,
        SCREENSHOTS,
    )[0]
    assert "never linked to your name" in driver.find_element(By.TAG_NAME, "main").text, "said where learners sign in"
    box.send_keys(name)
    click(driver, "//button[.//p[normalize-space()='Start learning']]")
    wait_for(
        driver,
        lambda d: f"learning as {name.casefold()}" in d.find_element(By.TAG_NAME, "main").text.casefold(),
        60,
        SCREENSHOTS,
    )


def do_todays_review(driver: webdriver.Chrome, course, learner: str) -> None:
    """Open a second module (its items become the day's fresh ones), then answer today's review item by item."""
    main = lambda d: d.find_element(By.TAG_NAME, "main").text  # noqa: E731
    open_learn_tab(driver, "My path")
    click(driver, "//button[.//p[normalize-space()='Open']]")
    click(driver, "//button[.//p[normalize-space()='Back to the path']]")
    open_learn_tab(driver, "Today's review")
    items = course.live_items()
    for number in range(1, 4):
        wait_for(driver, lambda d, n=number: f"{n} of 3" in main(d), 60, SCREENSHOTS)
        radio = driver.find_element(By.CSS_SELECTOR, "[data-testid='stRadio']")  # the one item being asked
        [item] = [i for i in items.values() if i.question in radio.text]
        [label] = [o for o in radio.find_elements(By.TAG_NAME, "label") if o.text == item.correct]
        label.click()
        click(driver, "//button[.//p[normalize-space()='Answer']]")
    wait_for(driver, lambda d: "Today's review is done: 3 right answers." in main(d), 60, SCREENSHOTS)
    screenshot(driver, "learn-review-done-tablet")
    assert course.progress.reviewed(learner, date.today()) == 3


def test_a_learner_passes_a_module_check_on_a_tablet_and_the_trainer_signs_it_off(app_home, app_url, browser):
    from learn.training import Training

    module = "worker-oee"
    course = Training.from_settings(app_home)
    title = course.module(module).title
    items = course.quiz(module)
    main = lambda d: d.find_element(By.TAG_NAME, "main").text  # noqa: E731
    sign_in_learner(browser, app_url, "Ana Ruiz")
    open_learn_tab(browser, "My path")
    position = [m.id for p in course.paths() if p.id == "worker" for m in p.modules].index(module)
    opens = wait_for(
        browser, lambda d: d.find_elements(By.XPATH, "//button[.//p[normalize-space()='Open']]"), 60, SCREENSHOTS
    )
    opens[position].click()
    wait_for(browser, lambda d: "Knowledge check" in main(d) and title in main(d), 60, SCREENSHOTS)
    groups = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[role='radiogroup']"), 60, SCREENSHOTS)
    assert len(groups) == len(items)
    for group, item in zip(groups, items, strict=True):
        [label] = [option for option in group.find_elements(By.TAG_NAME, "label") if option.text == item.correct]
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
        label.click()
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 820, "no sideways scrolling"
    screenshot(browser, "learn-knowledge-check-tablet")
    click(browser, "//button[.//p[normalize-space()='Check my answers']]")
    wait_for(browser, lambda d: f"Passed: {len(items)} of {len(items)} right" in main(d), 60, SCREENSHOTS)
    screenshot(browser, "learn-check-passed-tablet")
    browser.refresh()  # a shared tablet: after a reload the next person starts at the sign-in form
    wait_for(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "input[aria-label='Your name or badge code']"),
        START_SECONDS,
        SCREENSHOTS,
    )
    sign_in_learner(browser, app_url, "ana ruiz")
    open_learn_tab(browser, "My progress")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stDataFrame']"), 60, SCREENSHOTS)
    statuses = {r["module"]: r["status"] for r in course.progress_of("ana ruiz", date.today())["modules"]}
    assert statuses[module] == "sign-off due", "one learner however the name is typed"
    do_todays_review(browser, course, "ana ruiz")
    log_in_as_trainer(browser, app_url, name="Tess")
    open_learn_tab(browser, "Training")
    wait_for(
        browser, lambda d: "Completion per module" in main(d) and "Learners (1)" in main(d), ANSWER_SECONDS, SCREENSHOTS
    )
    click(browser, "//button[.//p[normalize-space()='Sign off']]")
    wait_for(
        browser,
        lambda d: not d.find_elements(By.XPATH, "//button[.//p[normalize-space()='Sign off']]"),
        60,
        SCREENSHOTS,
    )
    statuses = {r["module"]: r["status"] for r in course.progress_of("ana ruiz", date.today())["modules"]}
    assert statuses[module] == "passed"
    screenshot(browser, "console-training-signed-off-tablet")
