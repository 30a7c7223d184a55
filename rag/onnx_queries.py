"""Questions embedded on ONNX Runtime, so the process that answers never imports torch.

Importing torch and sentence-transformers costs about 10 s of CPU on a 2-core machine, most of a
cold start, and a question's forward pass costs about 3x more CPU in eager torch than in ONNX
Runtime. So the model's transformer is exported to ONNX once per model (into the user cache,
``$XDG_CACHE_HOME/playbook-coach/onnx``, like a model download) and questions run there: token
ids from the model's own fast tokenizer, the transformer, mean pooling, unit length.

An export is kept only if it embeds probe texts as sentence-transformers does (to float32
rounding, ~1e-7), so a model whose pipeline is anything else (another pooling, a prompt, lower-
casing) is never exported and keeps answering through sentence-transformers. Passages are still
embedded by sentence-transformers at ingest, where torch is loaded anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path
from typing import Any, cast

import numpy as np

FORMAT = 1  # bump when what is exported, or how it is run, changes
TOLERANCE = 1e-4  # largest difference allowed from sentence-transformers' vector, per dimension
PROBES = (
    "What is OEE?",
    "whats the first thing i do when the line stops n the andon goes off",
    "Überprüfung der Maschine – café, naïve: 12.5 % and 3/4 of ¾ stops [1] (see §2).",
    " ".join(["Predictive maintenance uses sensor data to plan repairs before a failure."] * 40),  # truncated
)
# model input name -> the tokenizers.Encoding field that feeds it
_FEEDS = dict([("input_ids", "ids"), ("attention_mask", "attention_mask"), ("token_type_ids", "type_ids")])


def cache_folder(model_dir: str) -> Path | None:
    """Where this model's export lives: keyed by the model folder and its weight files."""
    if not os.path.isdir(model_dir):
        return None  # a hub name: no local files to key on
    weights = sorted(p for p in Path(model_dir).iterdir() if p.suffix in (".safetensors", ".bin"))
    if not weights:
        return None
    stamp = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in weights)
    key = hashlib.sha256(f"{FORMAT}|{Path(model_dir).resolve()}|{stamp}".encode()).hexdigest()[:24]
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "playbook-coach" / "onnx" / key


def exported(folder: Path) -> bool:
    return (folder / "meta.json").is_file()


class OnnxQueryEncoder:
    """One text at a time, one intra-op thread: concurrent questions use the cores side by side."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        meta = json.loads((folder / "meta.json").read_text())
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(meta["max_length"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def encode(self, text: str) -> np.ndarray:
        encoding = self.tokenizer.encode(text)
        feed = {name: np.asarray([getattr(encoding, _FEEDS[name])], dtype=np.int64) for name in self.inputs}
        vector = self.session.run(None, feed)[0][0].mean(axis=0)  # no padding: every token counts
        return cast(np.ndarray, (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32))


def export(model: Any, folder: Path) -> bool:  # a loaded SentenceTransformer
    """Export a loaded SentenceTransformer's transformer to ``folder``; False if it cannot be done
    faithfully (or at all: no ``onnx`` package, an exporter error, a probe that differs)."""
    import torch

    tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    try:
        first = model[0]
        network = first.model if hasattr(first, "model") else first.auto_model
        sample = model.tokenizer(PROBES[0], return_tensors="pt")
        names = list(sample.keys())
        if not set(names) <= set(_FEEDS):
            return False

        class LastHiddenState(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.network = network

            def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
                return cast(torch.Tensor, self.network(**dict(zip(names, tensors, strict=True))).last_hidden_state)

        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "tokens"]}
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHiddenState().eval(),
                tuple(sample[n] for n in names),
                str(tmp / "model.onnx"),
                input_names=names,
                output_names=["tokens"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        (tmp / "tokenizer.json").write_text(model.tokenizer.backend_tokenizer.to_str())
        (tmp / "meta.json").write_text(json.dumps({"format": FORMAT, "max_length": model.max_seq_length}))
        encoder = OnnxQueryEncoder(tmp)
        expected = model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        got = np.stack([encoder.encode(p) for p in PROBES])
        if float(np.abs(got - expected).max()) > TOLERANCE:
            return False
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # another process got there first: its export is as good
            tmp.rename(folder)
        return exported(folder)
    except Exception:  # any failure only costs speed: questions go through sentence-transformers
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
