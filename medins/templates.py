"""Sandboxed Jinja templates and instruction pools.

Every template a recipe or pool holds is rendered in a `SandboxedEnvironment` with `StrictUndefined`:
recipes are shared as plain files, so a template must not reach Python internals, and a misspelt
field must fail loudly instead of rendering an empty string into a training sample.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import _PassArg

__all__ = [
    "Instruction",
    "InstructionPool",
    "PoolError",
    "TemplateError",
    "compile_template",
    "environment",
    "render",
]


def _letters(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def _options(options: Any, sep: str = "\n") -> str:
    """Render `{"A": "x", ...}` or `["x", ...]` as `A. x` lines, the usual multiple-choice layout."""
    if isinstance(options, dict):
        items = list(options.items())
    else:
        items = list(zip(_letters(len(options)), options))
    return sep.join(f"{k}. {v}" for k, v in items)


def _entity_list(mentions: Any, none: str = "None") -> str:
    """Unique mentions in first-seen order, as `a, b, c`; `none` when there are none."""
    seen: list[str] = []
    for m in mentions or []:
        if m not in seen:
            seen.append(m)
    return ", ".join(seen) if seen else none


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["options"] = _options
    env.filters["entity_list"] = _entity_list
    env.globals["letters"] = _letters
    return env


@lru_cache(maxsize=4096)
def compile_template(source: str):
    """Compile once per distinct template text; recipes reuse a handful of templates per task."""
    return environment().from_string(source)


# -- fast path ---------------------------------------------------------------------------------------
#
# Most templates are text with plain substitutions (`{{ QUESTION }}`, `{{ row.text }}`,
# `{{ CONTEXTS | join(' ') }}`). Jinja's `render` builds a new context per call, which costs more than
# the substitution itself when a build renders millions of them. A template that Jinja's own parser
# shows to be only text, names, constant lookups and filters with constant arguments is turned into a
# list of Python steps instead. Anything else, and any lookup that does not resolve plainly (a missing
# field, a lookup that would reach an attribute), goes through Jinja, so errors and results stay Jinja's.

class _Fallback(Exception):
    pass


def _lookup(value: Any, key: Any) -> Any:
    # Jinja tries the item first for `[...]` and the attribute first for `.x`; on a dict whose key is
    # not also a dict attribute both give the item. Everything else is left to Jinja.
    if type(value) is dict and key in value and not (isinstance(key, str) and hasattr(dict, key)):
        return value[key]
    if type(value) is list and type(key) is int and -len(value) <= key < len(value):
        return value[key]
    raise _Fallback


def _fast_expr(node: nodes.Node, env: SandboxedEnvironment):
    """A function of the context for a simple expression, or None when the expression is not simple."""
    if isinstance(node, nodes.Name):
        name = node.name

        def get(ctx: dict[str, Any]) -> Any:
            if name not in ctx:
                raise _Fallback
            return ctx[name]
        return get
    if isinstance(node, (nodes.Getattr, nodes.Getitem)):
        inner = _fast_expr(node.node, env)
        if isinstance(node, nodes.Getattr):
            key = node.attr
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
            key = node.arg.value
        else:
            return None
        return None if inner is None else (lambda ctx: _lookup(inner(ctx), key))
    if isinstance(node, nodes.Filter) and node.node is not None and not (node.kwargs or node.dyn_args
                                                                          or node.dyn_kwargs):
        func = env.filters.get(node.name)
        inner = _fast_expr(node.node, env)
        if func is None or inner is None or not all(isinstance(a, nodes.Const) for a in node.args):
            return None
        args = tuple(a.value for a in node.args)
        pass_arg = _PassArg.from_obj(func)
        if pass_arg is _PassArg.eval_context:
            args = (EvalContext(env),) + args
        elif pass_arg is _PassArg.environment:
            args = (env,) + args
        elif pass_arg is not None:
            return None
        if pass_arg is None:
            return lambda ctx: func(inner(ctx), *args)
        return lambda ctx: func(args[0], inner(ctx), *args[1:])
    return None


@lru_cache(maxsize=4096)
def _fast_template(source: str):
    """The steps of a simple template (strings and context functions), or None."""
    env = environment()
    try:
        tree = env.parse(source)
    except TemplateError:
        return None
    steps: list[Any] = []
    for out in tree.body:
        if not isinstance(out, nodes.Output):
            return None
        for node in out.nodes:
            if isinstance(node, nodes.TemplateData):
                steps.append(node.data)
                continue
            fn = _fast_expr(node, env)
            if fn is None:
                return None
            steps.append(fn)
    return tuple(steps)


def _to_str(value: Any) -> str:
    if value is None or isinstance(value, (str, int, float, bool)):
        return str(value)
    raise _Fallback  # Jinja's own conversion for anything unusual (Undefined, Markup, objects)


def render(source: str, context: dict[str, Any]) -> str:
    """Render `source` with `context`; the same result as Jinja's sandboxed render, faster when simple."""
    steps = _fast_template(source)
    if steps is not None:
        try:
            return "".join(s if type(s) is str else _to_str(s(context)) for s in steps)
        except Exception:  # _Fallback, or a filter failing on this value: Jinja raises its own error
            pass
    return compile_template(source).render(context)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PoolError(ValueError):
    """An instruction pool file is missing or malformed."""


@dataclass(frozen=True)
class Instruction:
    id: str
    text: str
    origin: str  # "human" or "paraphrase"
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class InstructionPool:
    """The instructions of one task: human-written first, then accepted paraphrases.

    File layout (`recipes/instructions/<recipe>.<task>.yaml`)::

        task: pubmedqa.answer
        human:
          - id: h01
            text: Answer the question ...
        paraphrases:
          - id: p0001
            text: ...
            parent: [h01, h04]     # the seed instructions shown in the request
            model: gpt-4o
            date: "2026-11-22"
    """

    task: str
    instructions: tuple[Instruction, ...]
    path: Path | None = None

    @property
    def human(self) -> tuple[Instruction, ...]:
        return tuple(i for i in self.instructions if i.origin == "human")

    @property
    def paraphrases(self) -> tuple[Instruction, ...]:
        return tuple(i for i in self.instructions if i.origin == "paraphrase")

    def digest(self) -> str:
        h = hashlib.sha256()
        for ins in self.instructions:
            h.update(f"{ins.id}\x00{ins.text}\x00".encode())
        return h.hexdigest()

    @classmethod
    def load(cls, path: Path, task: str) -> "InstructionPool":
        if not path.exists():
            raise PoolError(f"{path}: instruction pool for task {task!r} not found")
        try:
            # libyaml's loader where available: pools grow to hundreds of entries per task.
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        except yaml.YAMLError as exc:
            raise PoolError(f"{path}: not valid YAML ({exc})") from None
        if data.get("task") not in (None, task):
            raise PoolError(f"{path}: declares task {data.get('task')!r}, expected {task!r}")
        out: list[Instruction] = []
        seen: set[str] = set()
        for origin, key in (("human", "human"), ("paraphrase", "paraphrases")):
            for n, item in enumerate(data.get(key) or [], start=1):
                if not isinstance(item, dict) or not item.get("id") or not str(item.get("text", "")).strip():
                    raise PoolError(f"{path}: {key} entry {n} needs a non-empty `id` and `text`")
                iid = str(item["id"])
                if iid in seen:
                    raise PoolError(f"{path}: duplicate instruction id {iid!r}")
                seen.add(iid)
                text = str(item["text"]).strip()
                try:
                    compile_template(text)
                except TemplateError as exc:
                    raise PoolError(f"{path}: {key} entry {iid!r} is not a valid template ({exc})") from None
                meta = {k: v for k, v in item.items() if k not in ("id", "text")}
                out.append(Instruction(iid, text, origin, meta))
        if not out:
            raise PoolError(f"{path}: no instructions for task {task!r}")
        return cls(task, tuple(out), path)
