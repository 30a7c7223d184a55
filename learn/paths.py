"""Learning paths as data: one YAML file per path in ``<corpus>/paths/``, ordered modules over playbook sections."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

try:
    from yaml import CSafeLoader as SafeLoader  # libyaml's: several times quicker, as safe
except ImportError:  # a PyYAML built without libyaml
    from yaml import SafeLoader

from rag.types import Audience

PATHS_DIR = "paths"
Parsed = TypeVar("Parsed")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class TrainingFileError(ValueError):
    """A learning path or quiz file that cannot be read; the message is one line naming the file."""


@dataclass(frozen=True)
class SectionRef:
    source: str  # the document's path below the corpus directory
    section: str = ""  # its heading path; empty means the whole document (PDFs have no sections)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    sections: tuple[SectionRef, ...]
    path_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "minutes": self.minutes,
            "objectives": list(self.objectives),
            "sections": [s.to_dict() for s in self.sections],
        }


@dataclass(frozen=True)
class LearningPath:
    id: str
    audience: Audience
    title: str
    modules: tuple[Module, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "audience": self.audience.value,
            "title": self.title,
            "modules": [m.to_dict() for m in self.modules],
        }


class FileCache(Generic[Parsed]):
    """Parses each file once per change (inode, size and modification time): pages read paths and items on
    every rerun, and trainers change them while the app runs."""

    def __init__(self, parse: Callable[[Path], Parsed]) -> None:
        self.parse = parse
        self._parsed: dict[Path, tuple[tuple[int, int, int], Parsed]] = {}

    def get(self, path: Path) -> Parsed:
        stat = path.stat()
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        cached = self._parsed.get(path)
        if cached is None or cached[0] != key:
            cached = self._parsed[path] = (key, self.parse(path))
        return cached[1]


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML mapping, or TrainingFileError saying in one line why not."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TrainingFileError(f"{path.name} is not valid YAML: {first}") from None
    except OSError as exc:
        raise TrainingFileError(f"{path.name} cannot be read: {exc.strerror or exc}") from None
    if not isinstance(data, dict):
        raise TrainingFileError(f"{path.name} must hold key: value pairs")
    return data


def _text(data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str | int | float) or (required and not str(value).strip()):
        raise TrainingFileError(f"{where}: {key!r} must be a non-empty text")
    return str(value).strip()


def checked_id(value: str, where: str) -> str:
    if not _ID.match(value):
        raise TrainingFileError(f"{where}: id {value!r} must be lower-case letters, digits and hyphens")
    return value


def parse_path(data: dict[str, Any], name: str) -> LearningPath:
    path_id = checked_id(_text(data, "id", name), name)
    try:
        audience = Audience.parse(data.get("audience"))
    except ValueError as exc:
        raise TrainingFileError(f"{name}: {exc}") from None
    modules = data.get("modules")
    if not isinstance(modules, list) or not modules:
        raise TrainingFileError(f"{name}: 'modules' must be a non-empty list")
    return LearningPath(
        path_id,
        audience,
        _text(data, "title", name),
        tuple(_module(m, f"{name} module {i + 1}", path_id) for i, m in enumerate(modules)),
    )


def _module(data: Any, where: str, path_id: str) -> Module:
    if not isinstance(data, dict):
        raise TrainingFileError(f"{where} must hold key: value pairs")
    module_id = checked_id(_text(data, "id", where), where)
    where = f"{where} ({module_id})"
    minutes = data.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        raise TrainingFileError(f"{where}: 'minutes' must be a whole number from 1 to 240")
    objectives = data.get("objectives")
    if (
        not isinstance(objectives, list)
        or not objectives
        or not all(isinstance(o, str) and o.strip() for o in objectives)
    ):
        raise TrainingFileError(f"{where}: 'objectives' must be a list of sentences")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise TrainingFileError(f"{where}: 'sections' must list at least one playbook section")
    refs = []
    for ref in sections:
        if not isinstance(ref, dict):
            raise TrainingFileError(f"{where}: each section needs 'source' (and 'section' for a heading)")
        refs.append(SectionRef(_text(ref, "source", where), _text(ref, "section", where, required=False)))
    return Module(
        module_id, _text(data, "title", where), minutes, tuple(o.strip() for o in objectives), tuple(refs), path_id
    )


def read_path(file: Path) -> LearningPath:
    return parse_path(read_yaml(file), file.name)


def load_paths(corpus_dir: Path, read: Callable[[Path], LearningPath] = read_path) -> list[LearningPath]:
    """Every path under ``<corpus>/paths/``, in file-name order; module ids must be unique across them."""
    folder = corpus_dir / PATHS_DIR
    paths = [read(file) for file in sorted(folder.glob("*.y*ml")) if file.suffix in (".yaml", ".yml")]
    seen: dict[str, str] = {}
    for path in paths:
        if path.id in {p.id for p in paths if p is not path}:
            raise TrainingFileError(f"two learning paths have the id {path.id!r}")
        for module in path.modules:
            if module.id in seen:
                raise TrainingFileError(f"module id {module.id!r} is used by paths {seen[module.id]} and {path.id}")
            seen[module.id] = path.id
    return paths
