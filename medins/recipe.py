"""The recipe and task API, and the loader that imports a recipe file by path.

A recipe declares one raw source (metadata, expected files, a reader) and the tasks built from it.
A task turns one raw row into zero or more `Example`s, through Jinja templates or a small function.
Recipes are plain Python files so that a newcomer can copy one and edit it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.util
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .readers.base import Item
from .schema import (
    PHI_DOMAINS,
    SchemaError,
    check_access,
    check_category,
    check_domain,
)
from .templates import InstructionPool, render

__all__ = ["Example", "Recipe", "RecipeError", "Skip", "Task", "discover", "load_recipe"]


class RecipeError(Exception):
    """A recipe file that cannot be loaded or is inconsistent. Names the file."""


@dataclass
class Example:
    """One (input, output) pair made from a raw row by a task.

    `split` overrides the row's split; `key` tells examples of one row apart (e.g. one per sentence);
    `vars` are small string values the instruction templates may use (e.g. the entity type);
    `language` overrides the task's language for multilingual sources (ISO 639-1 code).
    """

    input: str
    output: str
    split: str | None = None
    key: str = ""
    vars: dict[str, Any] = field(default_factory=dict)
    language: str | None = None


@dataclass(frozen=True)
class Skip:
    """Returned by a task for a row it does not apply to; counted by reason, not a reject."""

    reason: str


MakeFn = Callable[[dict[str, Any]], "Example | Skip | None | Iterable[Example]"]


@dataclass
class Task:
    id: str
    category: str
    domain: str
    input: str | None = None
    output: str | None = None
    make: MakeFn | None = None
    language: str | None = None
    meds_ins: str | None = None
    description: str = ""
    recipe: "Recipe | None" = field(default=None, repr=False)
    _pool: InstructionPool | None = field(default=None, repr=False)

    @property
    def qualified_id(self) -> str:
        assert self.recipe is not None
        return f"{self.recipe.name}.{self.id}"

    @property
    def pool_path(self) -> Path:
        assert self.recipe is not None
        return self.recipe.directory / "instructions" / f"{self.qualified_id}.yaml"

    @property
    def pool(self) -> InstructionPool:
        if self._pool is None:
            self._pool = InstructionPool.load(self.pool_path, self.qualified_id)
        return self._pool

    def examples(self, row: dict[str, Any]) -> list[Example] | Skip:
        """Apply the task to one raw row. Template errors propagate; the engine rejects the row."""
        if self.make is not None:
            made = self.make(row)
        else:
            assert self.input is not None and self.output is not None
            made = Example(render(self.input, row), render(self.output, row))
        if made is None:
            return Skip("not_applicable")
        if isinstance(made, Skip):
            return made
        if isinstance(made, Example):
            return [made]
        if isinstance(made, dict):
            return [Example(**made)]
        out = [m if isinstance(m, Example) else Example(**m) for m in made]
        return out if out else Skip("not_applicable")


@dataclass
class Recipe:
    """One raw source and the tasks built from it."""

    name: str
    domain: str
    license: str
    access: str
    homepage: str = ""
    files: list[str] = field(default_factory=list)
    language: str = "en"
    description: str = ""
    citation: str = ""
    test_fraction: float = 0.1
    #: Other folder names the source's release is known by (e.g. a derived distribution's folder):
    #: with `--raw PARENT`, the recipe reads `PARENT/<name>` or else the first `PARENT/<alias>` found.
    aliases: tuple[str, ...] = ()
    #: Clinical and dialogue text passes through the PHI scrubber; `phi=False` on such a recipe is an
    #: explicit, logged opt-out (see the engine).
    phi: bool | None = None
    #: Row fields holding clinical free text (e.g. a note's `text`). The engine scrubs them on the whole
    #: raw row, before any task cuts the text into pieces: the scrubber needs the context around a name
    #: or a date, which a cut can take away. Examples are scrubbed again afterwards (fail-closed).
    phi_fields: tuple[str, ...] = ()
    #: Globs of raw files that can each be read on their own (PubMed's baseline files, say). The engine
    #: then reads them in parallel, one read task per file, calling the reader as `read(raw, part)`
    #: with `part` a path relative to the raw folder; `read(raw)` still reads everything.
    parts: tuple[str, ...] = ()
    path: Path | None = None
    tasks: list[Task] = field(default_factory=list)
    _reader: Callable[[Path], Iterable[Item]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise SchemaError(f"recipe name {self.name!r} must be a Python identifier (it names files)")
        check_domain(self.domain)
        check_access(self.access)
        if not 0.0 <= self.test_fraction < 1.0:
            raise SchemaError("test_fraction must be in [0, 1)")

    # -- declaration -------------------------------------------------------------------------
    def reader(self, fn: Callable[[Path], Iterable[Item]]) -> Callable[[Path], Iterable[Item]]:
        """Decorator: the function that reads the raw folder and yields raw rows."""
        self._reader = fn
        return fn

    def task(
        self,
        id: str,
        *,
        category: str,
        domain: str | None = None,
        input: str | None = None,
        output: str | None = None,
        make: MakeFn | None = None,
        language: str | None = None,
        meds_ins: str | None = None,
        description: str = "",
    ):
        """Declare a task with `input`/`output` templates, or `make=fn`; with neither, decorate `fn`."""

        def add(fn: MakeFn | None) -> Task:
            if not id.replace("_", "").isalnum():
                raise SchemaError(f"{self.name}: task id {id!r} must be letters, digits and underscores")
            if any(t.id == id for t in self.tasks):
                raise SchemaError(f"{self.name}: task {id!r} declared twice")
            if fn is None and (input is None or output is None):
                raise SchemaError(f"{self.name}.{id}: give `input` and `output` templates, or `make`")
            t = Task(
                id=id,
                category=check_category(category),
                domain=check_domain(domain or self.domain),
                input=input,
                output=output,
                make=fn,
                language=language,
                meds_ins=meds_ins,
                description=description,
                recipe=self,
            )
            self.tasks.append(t)
            return t

        if make is None and input is None and output is None:
            return lambda fn: (add(fn), fn)[1]
        return add(make)

    # -- use ---------------------------------------------------------------------------------
    @property
    def directory(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def needs_scrub(self) -> bool:
        domains = {self.domain} | {t.domain for t in self.tasks}
        return bool(domains & PHI_DOMAINS) if self.phi is None else bool(self.phi)

    @property
    def sample_dir(self) -> Path:
        return self.directory / "samples" / self.name

    def resolve_raw(self, raw: Path | None) -> Path:
        """The raw folder: the bundled sample, `raw/<name>` (or an alias) when it exists, else `raw`."""
        if raw is None:
            return self.sample_dir
        raw = Path(raw)
        for folder in (self.name, *self.aliases):
            if (raw / folder).is_dir():
                return raw / folder
        return raw

    def split_of(self, key: str) -> str:
        """The stable hash split (train or test, `test_fraction` in test) of a raw row or a group key.

        Rows without an official split get `split_of(_ref)`; a recipe whose rows must stay together
        (all QA pairs of one document, all sentences of one abstract) sets `split=recipe.split_of(doc)`.
        """
        bucket = int(stable_hash("split", self.name, key, length=8), 16) / 0xFFFFFFFF
        return "test" if bucket < self.test_fraction else "train"

    def missing_files(self, raw: Path) -> list[str]:
        """Expected raw files (glob patterns allowed) that `raw` lacks."""
        missing = []
        for pattern in self.files:
            if any(ch in pattern for ch in "*?["):
                if not any(raw.glob(pattern)):
                    missing.append(pattern)
            elif not (raw / pattern).exists():
                missing.append(pattern)
        return missing

    def read(self, raw: Path, part: str | None = None) -> Iterator[Item]:
        """Raw rows of the whole raw folder, or of one of its `parts` files."""
        if self._reader is None:
            raise RecipeError(f"{self.path}: recipe {self.name!r} declares no reader")
        yield from (self._reader(raw) if part is None else self._reader(raw, part))

    def part_files(self, raw: Path) -> list[str]:
        """The raw files matching `parts`, relative to `raw`, in a stable order (none without `parts`)."""
        found = {p.relative_to(raw).as_posix() for pattern in self.parts for p in raw.glob(pattern) if p.is_file()}
        return sorted(found)

    def select(self, patterns: list[str] | None) -> list[Task]:
        if not patterns:
            return list(self.tasks)
        return [t for t in self.tasks if any(fnmatch.fnmatch(t.id, p) or fnmatch.fnmatch(t.qualified_id, p)
                                             for p in patterns)]

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "domain": self.domain,
            "license": self.license,
            "access": self.access,
            "homepage": self.homepage,
            "language": self.language,
            "files": list(self.files),
            "needs_scrub": self.needs_scrub,
            "tasks": [
                {"id": t.qualified_id, "category": t.category, "domain": t.domain, "meds_ins": t.meds_ins}
                for t in self.tasks
            ],
        }

    def fingerprint(self) -> str:
        """A digest of the recipe file and its instruction pools: part of what resume compares."""
        h = hashlib.sha256()
        if self.path:
            h.update(self.path.read_bytes())
        for t in self.tasks:
            if t.pool_path.exists():
                h.update(t.pool_path.read_bytes())
        return h.hexdigest()


_LOADED: dict[tuple[str, float], Recipe] = {}


def load_recipe(path: Path | str) -> Recipe:
    """Import a recipe file by path and return its module-level `recipe`."""
    p = Path(path).resolve()
    if not p.is_file():
        raise RecipeError(f"{path}: recipe file not found")
    key = (str(p), p.stat().st_mtime)
    if key in _LOADED:
        return _LOADED[key]
    mod_name = "medins_recipes." + hashlib.sha1(str(p).encode()).hexdigest()[:12] + "_" + p.stem
    spec = importlib.util.spec_from_file_location(mod_name, p)
    if spec is None or spec.loader is None:
        raise RecipeError(f"{path}: cannot import")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    try:
        spec.loader.exec_module(module)
    except SchemaError as exc:
        raise RecipeError(f"{path}: {exc}") from None
    recipe = getattr(module, "recipe", None)
    if not isinstance(recipe, Recipe):
        raise RecipeError(f"{path}: defines no module-level `recipe = Recipe(...)`")
    recipe.path = p
    if not recipe.description:
        recipe.description = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    if not recipe.tasks:
        raise RecipeError(f"{path}: recipe {recipe.name!r} declares no task")
    _LOADED[key] = recipe
    return recipe


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Recipe files named directly, or every `*.py` (not `_*.py`) in a named folder, sorted."""
    found: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found.extend(sorted(q for q in p.glob("*.py") if not q.name.startswith("_")))
        elif p.is_file():
            found.append(p)
        else:
            raise RecipeError(f"{path}: no such recipe file or folder")
    seen: set[Path] = set()
    unique = []
    for f in found:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique


def stable_hash(*parts: str, length: int = 32) -> str:
    """Hex digest of the parts; the basis of every id and every seeded choice in a build."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:length]


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
