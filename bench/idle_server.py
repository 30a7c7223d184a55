"""An idle app server: CPU used and warnings logged while one browser session sits open and nobody asks.

``streamlit run app.py`` starts as ``make run`` starts it (the repository's .streamlit/config.toml),
over the ingested shipped corpus; headless Chromium opens the page and picks a role, so a session
(and whatever it watches) exists; then nothing happens for the idle period. The same is measured with
Streamlit's file watcher switched back on (``--server.fileWatcherType auto``, a developer's opt-in),
for comparison.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.common import QUICK, REPO, WORK, Report, free_port, run_main, say, shipped_store

NAME = "idle_server"
IDLE_SECONDS = int(os.environ.get("PLAYBOOK_BENCH_IDLE_SECONDS", 20 if QUICK else 180))  # 600: ten minutes
TARGET_CPU_PERCENT = 2.0  # of one core, averaged over the idle period
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
WARNING_WORDS = ("WARNING", "ERROR", "overflow", "Traceback")


def run() -> Report:
    report = Report(NAME)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        say("Debian's chromium and chromium-driver are not installed: nothing measured")
        return report
    settings = shipped_store().settings
    shipped = idle(settings, [])
    watching = idle(settings, ["--server.fileWatcherType", "auto"])
    report.data = {"idle_seconds": IDLE_SECONDS, "as_shipped": shipped, "file_watcher_on": watching}
    report.add(
        "CPU while idle, as shipped",
        shipped["cpu_percent"],
        "<=",
        TARGET_CPU_PERCENT,
        unit=" %",
        note=f"{shipped['cpu_seconds']:.1f} s of CPU in {IDLE_SECONDS} s idle",
    )
    report.add("log lines with warnings while idle, as shipped", shipped["warning_lines"], "==", 0)
    report.add(
        "CPU while idle, file watcher on",
        watching["cpu_percent"],
        unit=" %",
        note=f"{watching['warning_lines']} warning lines; "
        f"{watching['cpu_seconds'] / max(shipped['cpu_seconds'], 0.01):.0f}x the CPU as shipped",
    )
    return report


def idle(settings, extra: list[str]) -> dict:
    """Start the app, open one session, stay idle; the server's CPU seconds and warning lines meanwhile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    port = free_port()
    log = WORK / f"{NAME}-{port}.log"
    env = {
        **os.environ,
        "PLAYBOOK_COACH_HOME": str(settings.home),
        "PLAYBOOK_COACH_CORPUS_DIR": str(settings.corpus_dir),
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *extra,
    ]
    say(f"  streamlit run app.py {' '.join(extra) or '(as shipped)'}: one session, then {IDLE_SECONDS} s idle")
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=820,1180"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        browser.get(f"http://127.0.0.1:{port}")
        WebDriverWait(browser, 300).until(
            EC.element_to_be_clickable((By.XPATH, "//label[.//p[normalize-space()='Worker']]"))
        ).click()
        WebDriverWait(browser, 60).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='stChatInputTextArea']"))
        )
        time.sleep(5)  # the role's rerun settles
        lines_before = len(log.read_text(errors="replace").splitlines())
        cpu_before = cpu_seconds(server.pid)
        time.sleep(IDLE_SECONDS)
        used = cpu_seconds(server.pid) - cpu_before
        new_lines = log.read_text(errors="replace").splitlines()[lines_before:]
    finally:
        browser.quit()
        server.terminate()
        server.wait(timeout=30)
    warnings = [line for line in new_lines if any(word in line for word in WARNING_WORDS)]
    return {
        "cpu_seconds": round(used, 2),
        "cpu_percent": round(100 * used / IDLE_SECONDS, 2),
        "warning_lines": len(warnings),
        "first_warnings": warnings[:3],
    }


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, all its threads (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:  # nosec B310: loopback
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


if __name__ == "__main__":
    run_main(run)
