"""The build's stages, as pure functions over Arrow tables.

Nothing here knows whether it runs in-process or inside a Ray worker: the executors call the same
functions, which is what makes a local build and a Ray build byte-identical. Rows dropped by a stage
are not removed; they keep travelling with `_stage` and `_drop` set, so that every drop is counted
once and lands in `rejects/`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _encode_string  # as json.dumps(ensure_ascii=False)
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .. import prompts
from ..readers.base import Bad, ReaderError, raw_root
from ..recipe import Skip, Task, load_recipe, stable_hash, to_json
from ..schema import EXAMPLE_SCHEMA, PHI_DOMAINS, RECORD_SCHEMA, SHOT, SPLITS
from ..templates import render as render_template
from .executors import count_by

log = logging.getLogger("medins.engine")
PHI_SPAN_LIST = EXAMPLE_SCHEMA.field("phi").type

_SPLIT_ALIASES = {"dev": "validation", "valid": "validation", "val": "validation", "devel": "validation",
                  "validate": "validation", "development": "validation"}


@dataclass(frozen=True)
class Options:
    """Build options that change the output; all of them are recorded in the manifest."""

    shots: tuple[int, ...] = (0,)
    samples: int = 1
    seed: int = 0
    demo_pool: int = 64
    max_demo_chars: int = 4000
    tasks: tuple[str, ...] = ()
    allow_unscrubbed: bool = False
    phi_mode: str = "tags"
    near_dup_threshold: float | None = None
    against: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "shots": list(self.shots),
            "samples": self.samples,
            "seed": self.seed,
            "demo_pool": self.demo_pool,
            "max_demo_chars": self.max_demo_chars,
            "tasks": list(self.tasks),
            "allow_unscrubbed": self.allow_unscrubbed,
            "phi_mode": self.phi_mode,
            "near_dup_threshold": self.near_dup_threshold,
            "against": list(self.against),
        }


@dataclass(frozen=True)
class ReadTask:
    """One unit of reading: a recipe over its raw folder, or over some files of it (`Recipe.parts`)."""

    recipe_path: str
    raw_dir: str
    parts: tuple[str, ...] = ()  # files of `Recipe.parts` read one after the other; none: the recipe's reader


def _read_rows(recipe, raw: Path, parts: tuple[str, ...]):
    """The rows of each part in turn; a `ReaderError` that ends one part's reader is yielded in its place."""
    for part in parts or (None,):
        items = recipe.read(raw, part)
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except ReaderError as exc:
                yield exc
                break
            yield item


@dataclass
class ExtractStats:
    recipe: str
    read_rows: int = 0
    read_bad: Counter = field(default_factory=Counter)
    pairs: int = 0
    pairs_with_examples: int = 0
    examples: int = 0
    by_task: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    skipped_by_task: dict = field(default_factory=dict)
    dropped: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "recipe": self.recipe,
            "read": {"in": self.read_rows + sum(self.read_bad.values()), "out": self.read_rows,
                     "dropped": dict(sorted(self.read_bad.items()))},
            "make": {"in": self.pairs, "out": self.pairs_with_examples, "examples": self.examples,
                     "skipped": dict(sorted(self.skipped.items())), "dropped": dict(sorted(self.dropped.items())),
                     "by_task": dict(sorted(self.by_task.items())),
                     "skipped_by_task": {t: dict(sorted(c.items())) for t, c in sorted(self.skipped_by_task.items())}},
        }


def normalize_split(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    v = str(value).strip().lower()
    v = _SPLIT_ALIASES.get(v, v)
    if v not in SPLITS:
        raise ValueError(f"unknown split {value!r}")
    return v


def _safe_error(exc: Exception, clinical: bool) -> str:
    """An error text for a reject: never raw text from a clinical source."""
    name = type(exc).__name__
    if clinical:
        return name
    msg = str(exc).splitlines()[0][:160] if str(exc) else ""
    return f"{name}: {msg}" if msg else name


def _fixed(task: Task | None, recipe) -> dict[str, Any]:
    """The columns every example of one task shares."""
    return {
        "task": task.qualified_id if task else f"{recipe.name}.*",
        "category": task.category if task else None,
        "domain": task.domain if task else recipe.domain,
        "source": recipe.name,
        "license": recipe.license,
        "access": recipe.access,
        "language": (task.language if task and task.language else recipe.language),
        "phi": [],
    }


class _Columns:
    """Examples gathered as (shared columns, own values) pairs and turned into columns at the end.

    Cheaper than a dict per row turned into a table: `add` only remembers the pair, and `table` builds
    each column at once. A column that no row sets in its own values (the task, source, licence...)
    is the shared dicts' values taken by row; the others are one comprehension each, a row's own
    value overriding the shared one.
    """

    def __init__(self) -> None:
        self.values: list[dict[str, Any]] = []
        self.shared: list[dict[str, Any]] = []  # the distinct shared dicts, in order of first use
        self.which: list[int] = []  # per row, the position of its shared dict in `shared`
        self._position: dict[int, int] = {}
        self._own: set[str] = set()  # the columns some row sets in its own values

    def add(self, fixed: dict[str, Any], values: dict[str, Any]) -> None:
        position = self._position.get(id(fixed))
        if position is None:
            position = self._position[id(fixed)] = len(self.shared)
            self.shared.append(fixed)
        self.which.append(position)
        self.values.append(values)
        if not self._own.issuperset(values):
            self._own.update(values)

    def table(self) -> pa.Table:
        which = pa.array(self.which, pa.int32())
        per_row = [self.shared[i] for i in self.which]
        columns = []
        for f in EXAMPLE_SCHEMA:
            name = f.name
            if name in self._own:
                column = pa.array([v[name] if name in v else c.get(name) for c, v in zip(per_row, self.values)],
                                  f.type)
            else:
                column = pa.array([c.get(name) for c in self.shared], f.type).take(which)
            columns.append(column)
        return pa.table(columns, schema=EXAMPLE_SCHEMA)


def extract(read_task: ReadTask, options: Options) -> tuple[pa.Table, dict[str, Any]]:
    """Read a recipe's raw folder and apply its tasks: the examples table and the read/make counts."""
    recipe = load_recipe(read_task.recipe_path)
    raw = Path(read_task.raw_dir)
    tasks = recipe.select(list(options.tasks))
    clinical = recipe.needs_scrub
    stats = ExtractStats(recipe.name)
    rows = _Columns()
    fixed = {task.id: _fixed(task, recipe) for task in tasks}
    qualified = {task.id: task.qualified_id for task in tasks}
    row_scrubber = _row_scrubber(recipe, options)

    def reject(task: Task | None, stage: str, ref: str, reason: str) -> None:
        rows.add(fixed[task.id] if task else _fixed(None, recipe),
                 {"example_id": stable_hash(recipe.name, stage, ref, reason), "raw_ref": ref, "_stage": stage,
                  "_drop": reason, "input": "", "output": ""})

    with raw_root(raw):
        for item in _read_rows(recipe, raw, read_task.parts):
            if isinstance(item, ReaderError):
                # A file that breaks off (bad encoding, cut gzip): keep what was read before it, reject
                # the rest of that reader's output as one counted row naming file and position.
                stats.read_bad[item.reason] += 1
                reject(None, "read", item.ref, item.reason)
                continue
            if isinstance(item, Bad):
                stats.read_bad[item.reason] += 1
                reject(None, "read", item.ref, item.reason)
                continue
            stats.read_rows += 1
            ref = item.get("_ref")
            if not ref:
                raise ValueError(f"recipe {recipe.name}: reader yielded a row without `_ref`")
            if row_scrubber is not None:
                item = row_scrubber(item, ref)
            try:
                official = normalize_split(item.get("split"))
            except ValueError as exc:
                for task in tasks:
                    stats.pairs += 1
                    stats.dropped["bad_split"] += 1
                    reject(task, "make", ref, f"bad_split: {exc}")
                continue
            phi = list(item.get("_phi") or [])
            hashed_split = None  # the row's hash split, computed once for all its examples
            for task in tasks:
                stats.pairs += 1
                try:
                    made = task.examples(item)
                    if isinstance(made, Skip):
                        stats.skipped[made.reason] += 1
                        skipped = stats.skipped_by_task.get(qualified[task.id])
                        if skipped is None:
                            skipped = stats.skipped_by_task[qualified[task.id]] = Counter()
                        skipped[made.reason] += 1
                        continue
                    if len(made) > 1 and len({m.key for m in made}) != len(made):
                        raise ValueError("task produced two examples with the same key for one row")
                    batch = []
                    for ex in made:
                        split = (normalize_split(ex.split) if ex.split is not None else None) or official
                        if split is None:
                            if hashed_split is None:
                                hashed_split = recipe.split_of(ref)
                            split = hashed_split
                        values = {"example_id": stable_hash(recipe.name, task.id, ref, ex.key), "split": split,
                                  "input": str(ex.input), "output": str(ex.output),
                                  "vars": to_json(ex.vars) if ex.vars else None,
                                  "phi": phi,
                                  "raw_ref": f"{ref}@{ex.key}" if ex.key else ref}
                        if ex.language:
                            values["language"] = ex.language
                        batch.append(values)
                except Exception as exc:  # a recipe bug or a row the task cannot handle
                    reason = f"task_error: {_safe_error(exc, clinical)}"
                    stats.dropped["task_error"] += 1
                    reject(task, "make", ref, reason)
                    continue
                stats.pairs_with_examples += 1
                stats.examples += len(batch)
                stats.by_task[qualified[task.id]] += len(batch)
                shared = fixed[task.id]
                for values in batch:
                    rows.add(shared, values)
    return rows.table(), stats.as_dict()


# -- PHI -------------------------------------------------------------------------------------------

def _row_scrubber(recipe, options: Options):
    """A function scrubbing a recipe's `phi_fields` on whole raw rows, or None when not needed.

    Without a scrubber the rows pass unchanged here; the example-level stage then drops them
    (`phi_scrubber_unavailable`), so nothing unscrubbed is ever emitted.
    """
    if not recipe.phi_fields or not recipe.needs_scrub or options.allow_unscrubbed:
        return None
    try:
        from ..phi import Scrubber
    except ImportError:
        return None
    scrubber = Scrubber(mode=options.phi_mode)

    def scrub_row(row: dict[str, Any], ref: str) -> dict[str, Any]:
        row = dict(row)
        key = str(row.get("patient") or row.get("subject_id") or ref)
        spans = []
        for name in recipe.phi_fields:
            value = row.get(name)
            if isinstance(value, str) and value:
                result = scrubber.scrub(value, key=key)
                row[name] = result.text
                spans += [{"field": f"row.{name}", "start": x.start, "end": x.end, "kind": x.kind}
                          for x in result.spans]
        row["_phi"] = spans
        return row

    return scrub_row


def scrub(table: pa.Table, mode: str = "tags", allow_unscrubbed: bool = False) -> pa.Table:
    """Scrub PHI from clinical and dialogue examples; fail closed on residual PHI.

    Rows of other domains pass untouched. Without a scrubber, clinical rows are dropped rather than
    emitted unscrubbed, unless the build says `--allow-unscrubbed` (logged loudly by the CLI).
    """
    live = pc.and_(pc.is_null(table["_drop"]), pc.is_in(table["domain"], pa.array(sorted(PHI_DOMAINS))))
    if not pc.any(live).as_py() or allow_unscrubbed:
        return table
    try:
        from ..phi import Scrubber
    except ImportError:
        return _drop_where(table, live, "scrub", "phi_scrubber_unavailable")
    rows = table.to_pylist()
    scrubber = Scrubber(mode=mode)
    idx = [i for i, flag in enumerate(live.to_pylist()) if flag]
    for field_name in ("input", "output"):
        texts = [rows[i][field_name] or "" for i in idx]
        keys = [rows[i]["raw_ref"] for i in idx]
        results = scrubber.scrub_batch(texts, keys=keys)
        for i, res in zip(idx, results):
            row = rows[i]
            if row["_drop"]:
                continue
            if res.residual:
                row["_stage"], row["_drop"] = "scrub", "phi_residual"
                row["input"] = row["output"] = ""
                continue
            row[field_name] = res.text
            row["phi"] = list(row["phi"] or []) + [
                {"field": field_name, "start": s.start, "end": s.end, "kind": s.kind} for s in res.spans
            ]
    return pa.Table.from_pylist(rows, schema=table.schema)


def _drop_where(table: pa.Table, mask: pa.ChunkedArray, stage: str, reason: str) -> pa.Table:
    stage_col = pc.if_else(mask, pa.scalar(stage), table["_stage"])
    drop_col = pc.if_else(mask, pa.scalar(reason), table["_drop"])
    table = table.set_column(table.schema.get_field_index("_stage"), "_stage", stage_col)
    return table.set_column(table.schema.get_field_index("_drop"), "_drop", drop_col)


# -- quality ---------------------------------------------------------------------------------------

def quality(table: pa.Table) -> pa.Table:
    """Drop examples with an empty input or output (after scrubbing)."""
    live = pc.is_null(table["_drop"])
    for name in ("input", "output"):
        empty = pc.and_(live, pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(table[name])), 0))
        if pc.any(empty).as_py():
            table = _drop_where(table, empty, "quality", f"empty_{name}")
            live = pc.is_null(table["_drop"])
    return table


# -- exact dedup -----------------------------------------------------------------------------------

# Signs carry meaning in medicine (HER2+ vs HER2-, EZB-MYC+ vs EZB-MYC−): they survive folding.
_PUNCT_WS = re.compile(r"[^\w+\-\u2212\u00b1]+|_+", re.UNICODE)


# The fold runs on UTF-8 bytes through one table: ASCII letters to lower case, every other ASCII byte
# that the pattern above replaces to a space, bytes of non-ASCII characters unchanged. Non-ASCII
# characters the pattern replaces (dashes, quotes, symbols) become spaces first, one distinct character
# at a time: a text holds few of them, and this is many times faster than the Unicode pattern over the
# whole text. A test checks both ways give the same result.
_ASCII_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122 or c in b"+-" or c > 127) else 32
    for c in range(256)
)
_KEPT_SIGNS = frozenset("\u2212\u00b1")


_ASCII_BYTES = bytes(range(128))


def normalize_text(text: str) -> str:
    """NFKC, casefold, punctuation and whitespace folded (signs kept): what two copies of one item share."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        # Case folding maps one character at a time, so the text's distinct non-ASCII characters are
        # enough to fold it (ASCII letters fold in the byte table).
        others = text.encode(errors="surrogatepass").translate(None, _ASCII_BYTES)
        for ch in set(others.decode(errors="surrogatepass")):
            folded = "".join(c if c.isalnum() or c in _KEPT_SIGNS or c < "\x80" else " " for c in ch.casefold())
            if folded != ch:
                text = text.replace(ch, folded)
    # What is left of the text is ASCII letters, digits, signs and spaces, and non-ASCII letters, digits
    # and signs, none of which Unicode counts as whitespace: `str.split` splits at the spaces only.
    folded = text.encode(errors="surrogatepass").translate(_ASCII_FOLD)
    return " ".join(folded.decode(errors="surrogatepass").split())


def dedup_keys(table: pa.Table) -> pa.Table:
    """Add the exact-dedup keys of live rows: `_key` (task, normalised input and output, vars), `_xkey`
    (the same with the category instead of the task: one item in two sources) and `_bucket`, the first
    two hex digits of `_xkey`, which the shuffle groups by (rows of one `_key` share their `_xkey`).

    The shuffle groups by bucket, not by key: a group function called once per key costs far more
    than the work when almost every key is unique. Dropped rows get empty keys and bucket.
    """
    keys, xkeys = [], []
    sha256 = hashlib.sha256
    folded: dict[str, str] = {}  # tasks of one source often share a text (the same abstract, say)
    for task, category, inp, out, variables, drop in zip(
        table["task"].to_pylist(), table["category"].to_pylist(), table["input"].to_pylist(),
        table["output"].to_pylist(), table["vars"].to_pylist(), table["_drop"].to_pylist()
    ):
        if drop:
            keys.append("")
            xkeys.append("")
            continue
        for value in (inp, out):
            if value not in folded:
                folded[value] = normalize_text(value)
        # `vars` reach the instruction (e.g. the entity type asked for): same text, other vars, other sample.
        # The keys are `stable_hash(task, input, output, vars)` and the same with the category, to 16
        # digits, with the parts they share joined once.
        text = f"\x1f{folded[inp]}\x1f{folded[out]}\x1f{variables or ''}"
        keys.append(sha256(f"{task}{text}".encode()).hexdigest()[:16])
        xkeys.append(sha256(f"{category or ''}{text}".encode()).hexdigest()[:16])
    table = table.append_column("_key", pa.array(keys, pa.string()))
    table = table.append_column("_xkey", pa.array(xkeys, pa.string()))
    return table.append_column("_bucket", pc.utf8_slice_codeunits(table["_xkey"], 0, 2))


DROPS_SCHEMA = pa.schema([("example_id", pa.string()), ("reason", pa.string()), ("cluster", pa.string())])


def dedup_view(table: pa.Table) -> pa.Table:
    """What exact dedup shuffles: the keys, split, source, licence and id of live rows, not their text."""
    rows = table.filter(pc.not_equal(table["_key"], ""))
    return rows.select(["_bucket", "_key", "_xkey", "split", "source", "license", "access", "example_id"])


def duplicates(table: pa.Table) -> pa.Table:
    """The rows to drop among whole key groups. Returns (example_id, reason, cluster = the id kept).

    Within a task, all but one example per `_key` (train first, then the lowest id). Across sources, an
    item that two sources hold in the same category (`_xkey`) is kept in one of them: the keep policy of
    `medins.dedup` (train first, then the better licence, then the lowest id) picks the source, whose
    other tasks keep their copies. Test examples are never dropped for a copy in another source: a train
    copy of a test item is decontamination's to drop. Works on any table holding whole key groups, so a
    row's fate depends on its groups alone, never on how the shuffle cut the data.
    """
    from ..dedup.clusters import keep_sort_key

    if table.num_rows == 0:
        return DROPS_SCHEMA.empty_table()
    rank = pc.if_else(pc.equal(table["split"], "train"), 0,
                      pc.if_else(pc.equal(table["split"], "validation"), 1,
                                 pc.if_else(pc.equal(table["split"], "test"), 2, 3))).cast(pa.int8())
    table = table.append_column("_rank", rank).sort_by(
        [("_key", "ascending"), ("_rank", "ascending"), ("example_id", "ascending")])
    keys = table["_key"].combine_chunks()
    n = len(keys)
    # The first row of each key group is kept; the others are copies within the task.
    first = pc.not_equal(keys.slice(1), keys.slice(0, n - 1))
    first = pa.concat_arrays([pa.array([True]), first])
    group = pc.subtract(pc.cumulative_sum(first.cast(pa.int64())), 1)  # each row's key group number
    keep_id = pc.take(table["example_id"], pc.take(pc.indices_nonzero(first), group))  # the id its group keeps
    copies = pc.invert(first)
    ids = table["example_id"].filter(copies).to_pylist()
    clusters = keep_id.filter(copies).to_pylist()
    reasons = [f"duplicate_of:{k}" for k in clusters]
    # Across sources: among the kept, non-test rows, the items (`_xkey`) held by two sources or more.
    kept = table.filter(pc.and_(first, pc.not_equal(table["split"], "test")))
    sources = kept.group_by("_xkey").aggregate([("source", "count_distinct")])
    shared = sources.filter(pc.greater(sources["source_count_distinct"], 1))["_xkey"]
    if len(shared):
        survivors: dict[str, list[dict]] = {}
        rows = kept.filter(pc.is_in(kept["_xkey"], value_set=shared.combine_chunks()))
        for row in rows.select(["_xkey", "split", "source", "license", "access", "example_id"]).to_pylist():
            survivors.setdefault(row["_xkey"], []).append(row)
        for xkey in sorted(survivors):
            members = survivors[xkey]
            keeper = min(members, key=lambda m: keep_sort_key({**m, "id": m["example_id"]}))
            for m in sorted(members, key=lambda m: m["example_id"]):
                if m["source"] != keeper["source"]:
                    ids.append(m["example_id"])
                    reasons.append(f"duplicate_of:{keeper['example_id']}")
                    clusters.append(keeper["example_id"])
    return pa.table({"example_id": ids, "reason": reasons, "cluster": clusters}, schema=DROPS_SCHEMA)


def apply_dedup(table: pa.Table, drops: pa.Table) -> pa.Table:
    """Mark exact duplicates dropped and leave the example columns only."""
    return apply_drops(table, drops, stage="dedup").select(EXAMPLE_SCHEMA.names)


# -- corpus-wide checks: near duplicates and contamination ---------------------------------------------

def corpus_view(table: pa.Table) -> pa.Table:
    """The columns the corpus-wide checks need, for live examples only."""
    live_rows = table.filter(pc.is_null(table["_drop"]))
    text = pc.binary_join_element_wise(live_rows["input"], live_rows["output"], "\n")
    return pa.table({
        "id": live_rows["example_id"], "task": live_rows["task"], "source": live_rows["source"],
        "split": live_rows["split"], "license": live_rows["license"], "access": live_rows["access"],
        "text": text, "input": live_rows["input"], "raw_ref": live_rows["raw_ref"],
        "category": live_rows["category"], "vars": live_rows["vars"],
    })


def near_dup_view(table: pa.Table) -> pa.Table:
    """The corpus view of live examples with `group`: what near-dup compares within (see below).

    Examples of one category and the same vars, across sources. Short answers must agree too: two ICD
    codes whose descriptions differ by "left"/"right" are near-identical texts but different examples;
    long answers (summaries) group by category alone. Examples made from one raw row with a sub-key (one
    per asked pair, entity type or sentence) are only compared with examples of the same sub-key: the
    same question over another raw item.
    """
    view = corpus_view(table)
    groups = []
    for category, variables, text, inp, ref in zip(
        view["category"].to_pylist(), view["vars"].to_pylist(), view["text"].to_pylist(),
        view["input"].to_pylist(), view["raw_ref"].to_pylist()
    ):
        answer = text[len(inp) + 1:]
        sub = ref.rsplit("@", 1)[1] if "@" in ref else ""
        short = len(answer.split()) < 20
        groups.append(f"{category}\x1f{variables or ''}\x1f{sub}\x1f{normalize_text(answer) if short else '*'}")
    return view.append_column("group", pa.array(groups, pa.string()))


def near_duplicates(view: pa.Table, threshold: float) -> pa.Table:
    """Near-duplicate examples (MinHash LSH, verified Jaccard >= threshold) within each `group`.

    `view` holds whole groups (one or several): the engine shuffles `near_dup_view` by group. The keep
    policy (train first, better licence, lowest id) is `medins.dedup`'s. A near copy goes when it is in
    the kept example's task, or in another source and not a test example (a train copy of a test item
    is decontamination's); other tasks of the kept example's source keep theirs, since tasks built from
    one text share it (chemical and disease NER over one abstract). Returns (example_id, reason, cluster).
    """
    from ..dedup import dedup_table

    ids, reasons, clusters = [], [], []
    view = view.sort_by([("group", "ascending"), ("id", "ascending")])
    groups = view["group"].to_pylist()
    start = 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            group = view.slice(start, i - start)
            start = i
            if group.num_rows < 2:
                continue
            about = {eid: (task, source, split) for eid, task, source, split in zip(
                *(group[c].to_pylist() for c in ("id", "task", "source", "split")))}
            result = dedup_table(group.select(["id", "text", "split", "license", "access"]), "text", threshold)
            for eid, cluster, keep in zip(result["id"].to_pylist(), result["cluster"].to_pylist(),
                                          result["keep"].to_pylist()):
                task, source, split = about[eid]
                kept_task, kept_source, _ = about[cluster]
                if not keep and (task == kept_task or (source != kept_source and split != "test")):
                    ids.append(eid)
                    reasons.append(f"near_duplicate_of:{cluster}")
                    clusters.append(cluster)
    return pa.table({"example_id": ids, "reason": reasons, "cluster": clusters}, schema=DROPS_SCHEMA)


def eval_view(table: pa.Table) -> pa.Table:
    """Live test-split examples: the catalog's own evaluation items (the MedS-Bench side)."""
    mask = pc.and_(pc.is_null(table["_drop"]), pc.equal(table["split"], "test"))
    rows = table.filter(mask)
    return pa.table({"id": rows["example_id"], "source": rows["source"], "input": rows["input"]})


#: A 13-gram held by more test items than this is boilerplate of a templated source, not one item's text.
OWN_NGRAM_MAX_ITEMS = 2


def own_index(signature_file: str | None = None):
    """An empty index of the catalog's own test items, with the parameters every build uses."""
    from ..dedup import Decontaminator

    return Decontaminator(None, ngram_max_items=OWN_NGRAM_MAX_ITEMS, signature_file=signature_file)


def test_item_features(items: pa.Table):
    """The index features (`Decontaminator.features`) of test items (source, id, input): the per-item
    work of the contamination index, done where the items were read."""
    sources, ids, texts = (items[c].to_pylist() for c in ("source", "id", "input"))
    return own_index().features([(f"test:{src}", eid, text) for src, eid, text in zip(sources, ids, texts)])


def contamination_index(test: Iterable, against: list[tuple[str, str, str]], folder: str | None = None,
                        threads: int = 1):
    """One index of the evaluation items: the catalog's own test splits and `--against` items.

    `test` yields the own test items' features (`test_item_features`, `IndexPart`s) in a fixed order,
    read one at a time. Own test items index only the 13-grams that at most OWN_NGRAM_MAX_ITEMS of
    them share; user benchmarks keep every 13-gram. With `folder`, the items' MinHash signatures are
    kept in files there rather than in the index. None when there is nothing to check. The index's
    sorts run on up to `threads` threads.
    """
    from ..dedup import Decontaminator

    def signatures(name: str) -> str | None:
        return None if folder is None else str(Path(folder) / f"index-{name}.minhash")

    own = own_index(signatures("own"))
    own.add_parts(test, threads=threads)
    users = [(f"against:{name}", eid, text) for name, eid, text in against]
    return (own if len(own) else None,
            Decontaminator(users, signature_file=signatures("against")) if users else None)


HITS_SCHEMA = pa.schema([("example_id", pa.string()), ("source", pa.string()), ("benchmark", pa.string()),
                          ("eval_id", pa.string()), ("kind", pa.string())])


def contamination_hits(table: pa.Table, indexes: tuple) -> pa.Table:
    """Live train examples whose input overlaps an evaluation item, with the first item it overlaps.

    An overlap is a whole-text match (`exact`: equal, or contained when short), a shared 13-gram or a
    MinHash near match. A source's own test split does not count against its train split (a templated
    source repeats its phrasing across splits). Runs per batch, against the indexes of the evaluation
    items that `contamination_index` built once.
    """
    train = pc.and_(pc.is_null(table["_drop"]), pc.not_equal(table["split"], "test"))
    rows = table.select(["example_id", "source", "input"]).filter(train)  # not the other texts' bytes
    out: dict[str, list[str]] = {name: [] for name in HITS_SCHEMA.names}
    built = [i for i in indexes if i is not None]
    if built and rows.num_rows:
        # Tasks of one source often ask different things of one text: each distinct input is checked once.
        inputs = rows["input"].combine_chunks()
        distinct = pc.unique(inputs)
        found = list(zip(*(i.check(distinct.to_pylist()) for i in built)))
        ids, sources = rows["example_id"], rows["source"]
        for n, text in enumerate(pc.index_in(inputs, value_set=distinct).to_pylist()):
            per_index = found[text]
            if not any(per_index):  # most rows: no hit, and no need for their id and source
                continue
            eid, source = ids[n].as_py(), sources[n].as_py()
            hits = sorted(h for index_hits in per_index for h in index_hits)
            kept = [h for h in hits if h[0] != f"test:{source}"]
            if kept:
                for name, value in zip(HITS_SCHEMA.names, (eid, source, *kept[0])):
                    out[name].append(value)
    return pa.table(out, schema=HITS_SCHEMA)


def contamination_report(hits: pa.Table) -> tuple[pa.Table, dict[str, Any]]:
    """The drops (example_id, reason) and a report per benchmark: counts by source, first examples by id."""
    if hits.num_rows == 0:
        hits = HITS_SCHEMA.empty_table()
    hits = hits.sort_by([("example_id", "ascending")])
    report: dict[str, Any] = {}
    for eid, source, bench, eval_id, kind in zip(*(hits[name].to_pylist() for name in HITS_SCHEMA.names)):
        entry = report.setdefault(bench, {"train_examples": 0, "by_source": {}, "examples": []})
        entry["train_examples"] += 1
        entry["by_source"][source] = entry["by_source"].get(source, 0) + 1
        if len(entry["examples"]) < 5:
            entry["examples"].append({"train": eid, "eval": eval_id, "kind": kind})
    for entry in report.values():
        entry["by_source"] = dict(sorted(entry["by_source"].items()))
    drops = pa.table({"example_id": hits["example_id"],
                      "reason": pc.binary_join_element_wise("contaminated:", hits["benchmark"], "")})
    return drops, dict(sorted(report.items()))


def apply_drops(table: pa.Table, drops: pa.Table, stage: str) -> pa.Table:
    """Mark the live rows listed in `drops` (example_id, reason[, cluster]) as dropped by `stage`."""
    if drops.num_rows == 0 or table.num_rows == 0:
        return table
    where = pc.index_in(table["example_id"], value_set=drops["example_id"])
    hit = pc.and_(pc.is_null(table["_drop"]), pc.is_valid(where))
    updates = {"_stage": pa.scalar(stage), "_drop": pc.take(drops["reason"], where)}
    if "cluster" in drops.column_names:
        updates["dedup"] = pc.take(drops["cluster"], where)
    for name, value in updates.items():
        column = pc.if_else(hit, value, table[name])
        table = table.set_column(table.schema.get_field_index(name), name, column)
    return table


# -- few-shot pools --------------------------------------------------------------------------------

def demo_candidates(table: pa.Table, max_chars: int) -> pa.Table:
    """Live train examples short enough to serve as demonstrations."""
    mask = pc.and_(pc.is_null(table["_drop"]), pc.equal(table["split"], "train"))
    size = pc.add(pc.utf8_length(table["input"]), pc.utf8_length(table["output"]))
    mask = pc.and_(mask, pc.less_equal(size, max_chars))
    return table.filter(mask).select(["task", "example_id", "input", "output"])


# -- render ----------------------------------------------------------------------------------------

class _Pools:
    """Instruction pools and demonstration pools of every task, loaded once per worker."""

    def __init__(self, recipe_paths: dict[str, str], demos: pa.Table):
        self.recipe_paths = recipe_paths
        self._tasks: dict[str, Task] = {}
        self.demos: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for task, eid, inp, out in zip(demos["task"].to_pylist(), demos["example_id"].to_pylist(),
                                       demos["input"].to_pylist(), demos["output"].to_pylist()):
            self.demos[task].append((eid, inp, out))
        for v in self.demos.values():
            v.sort()

    def task(self, qualified: str, source: str) -> Task:
        t = self._tasks.get(qualified)
        if t is None:
            recipe = load_recipe(self.recipe_paths[source])
            t = next(x for x in recipe.tasks if x.qualified_id == qualified)
            self._tasks[qualified] = t
        return t


def _picks(seed: str, example_id: str, n: int, k: int) -> list[int]:
    """Which of a task's `n` instructions an example is rendered with: `k` distinct, seeded by its id."""
    h = int(stable_hash(seed, example_id, length=16), 16)
    if k == 1:
        return [h % n]
    return random.Random(h).sample(range(n), k=min(k, n))


def _list_array(offsets: list[int], children: list[pa.Array], struct: pa.DataType) -> pa.Array:
    values = pa.StructArray.from_arrays(children, fields=list(struct))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)


#: Records as rendered and handed between steps: every record column but `messages`, which repeats the
#: instruction, input and output (and few-shot cases) and is derived from them when records are written
#: (`with_messages`). The work files hold each text once.
RENDERED_SCHEMA = pa.schema([f for f in RECORD_SCHEMA if f.name != "messages"])
MESSAGE_LIST = RECORD_SCHEMA.field("messages").type


def render(table: pa.Table, recipe_paths: dict[str, str], demos: pa.Table, options: Options) -> pa.Table:
    """Turn live examples into instruction records (`RENDERED_SCHEMA`): instruction pick, zero/few-shot
    prompt, ids.

    Built column by column: the per-record Python work is the instruction pick, the few-shot choice
    and the ids; the columns an example passes on unchanged are taken from its table in one step.
    """
    pools = _Pools(recipe_paths, demos)
    seed = str(options.seed)
    take: list[int] = []
    ids: list[str] = []
    texts: list[str] = []
    ins_ids: list[str] = []
    shot_offsets, shot_in, shot_out = [0], [], []
    columns = {name: table[name].to_pylist() for name in ("example_id", "task", "source", "vars")}
    instructions_of: dict[str, list] = {}
    for row, (eid, task_id, source, var_json) in enumerate(zip(*columns.values())):
        instructions = instructions_of.get(task_id)
        if instructions is None:
            instructions = instructions_of[task_id] = pools.task(task_id, source).pool.instructions
        variables = None  # parsed on the first instruction that is a template
        picks = _picks(seed, eid, len(instructions), options.samples)
        for k in options.shots:
            for sample, pick in enumerate(picks):
                ins = instructions[pick]
                text = ins.text
                if "{" in text:
                    if variables is None:
                        variables = json.loads(var_json) if var_json else {}
                    text = render_template(text, variables)
                shots: list[tuple[str, str]] = []
                demo_ids = ""
                if k:
                    cands = [d for d in pools.demos.get(task_id, []) if d[0] != eid]
                    if len(cands) < k:
                        continue  # counted by the executor as render drops: too few demonstrations
                    demos_k = random.Random(stable_hash(seed, eid, str(k), str(sample))).sample(cands, k)
                    shots = [(d[1], d[2]) for d in demos_k]
                    demo_ids = ",".join([d[0] for d in demos_k])
                    shot_in += [s[0] for s in shots]
                    shot_out += [s[1] for s in shots]
                take.append(row)
                ids.append(stable_hash(eid, ins.id, str(k), demo_ids, str(sample)))
                texts.append(text)
                ins_ids.append(ins.id)
                shot_offsets.append(len(shot_in))
    base = table.take(pa.array(take, pa.int64())) if take else table.slice(0, 0)
    built = {
        "id": pa.array(ids, pa.string()),
        "instruction": pa.array(texts, pa.string()),
        "shots": _list_array(shot_offsets, [pa.array(shot_in, pa.string()), pa.array(shot_out, pa.string())],
                             SHOT),
        "instruction_id": pa.array(ins_ids, pa.string()),
        "phi": pc.if_else(pc.is_null(base["phi"]), pa.scalar([], PHI_SPAN_LIST), base["phi"]),
        "dedup": pc.coalesce(base["dedup"], base["example_id"]),
    }
    return pa.table([built[f.name] if f.name in built else base[f.name] for f in RENDERED_SCHEMA],
                    schema=RENDERED_SCHEMA)


def with_messages(records: pa.Table) -> pa.Table:
    """Rendered records (`RENDERED_SCHEMA`) with their `messages`, as records are written out."""
    messages = prompts.messages_array(records["instruction"], records["shots"], records["input"],
                                      records["output"], MESSAGE_LIST)
    return pa.table([messages if f.name == "messages" else records[f.name] for f in RECORD_SCHEMA],
                    schema=RECORD_SCHEMA)


# -- task files ------------------------------------------------------------------------------------

def _json_text(value: str | None) -> str:
    return "null" if value is None else _encode_string(value)


def instance_lines(rows: pa.Table) -> list[str]:
    """The task-file lines of `rows` (example_id, input, output, split): each instance as
    `json.dumps(..., ensure_ascii=False)` writes it, indented, built from the strings' JSON forms alone
    (a dict and an encoder per instance cost more than the escaping)."""
    columns = (rows[c].to_pylist() for c in ("example_id", "input", "output", "split"))
    return [f'    {{"id": {_json_text(eid)}, "input": {_json_text(inp)}, "output": [{_json_text(out)}], '
            f'"split": {_json_text(split)}}}' for eid, inp, out, split in zip(*columns)]


def write_task_part(slices: Iterable[pa.Table], path: str | Path) -> dict[str, int]:
    """Write the instances of one id window of a task file: its lines, joined by `,\n`, with no
    separator before the first or after the last, so that windows written apart join into one array.

    `slices` yields the window's examples in id order, a few thousand at a time. Written atomically;
    returns the window's examples per split.
    """
    counts: Counter = Counter()
    path = Path(path)
    part = path.with_name(path.name + ".part")
    first = True
    with open(part, "w", encoding="utf-8") as fh:
        for rows in slices:
            if rows.num_rows:
                fh.write(("" if first else ",\n") + ",\n".join(instance_lines(rows)))
                first = False
                counts.update(count_by(rows, "split"))
    part.replace(path)
    return dict(sorted(counts.items()))


def join_task_file(task: str, parts: list[str], folder: str, header: dict[str, Any]) -> None:
    """Write the task file of one task: its header, then its instances (`parts`, the windows in id
    order, as `write_task_part` left them) as the `Instances` array; then remove the windows. Headers
    are built once by the driver (`_task_headers`)."""
    path = Path(folder) / f"{task}.json"
    part = path.with_name(path.name + ".part")
    if path.exists():  # a retried join whose first try got as far as the rename: done
        _remove(parts)
        return
    first = True
    with open(part, "wb") as fh:
        body = json.dumps(header, indent=2, ensure_ascii=False)
        fh.write((body[:-2] + ',\n  "Instances": [\n').encode())
        for name in parts:
            if os.path.getsize(name):
                if not first:
                    fh.write(b",\n")
                with open(name, "rb") as src:
                    shutil.copyfileobj(src, fh, 1 << 20)
                first = False
        fh.write(b"\n  ]\n}\n")
    part.replace(path)
    _remove(parts)  # the task file holds them now: no build holds its task files' bytes twice for long


def _remove(paths: list[str]) -> None:
    for name in paths:
        Path(name).unlink(missing_ok=True)


def expected_records(task_counts: dict[str, int], pool_sizes: dict[str, int], options: Options) -> int:
    """How many records render emits given enough demonstrations: the accounting's `in` for render.

    Each example gives one record per shot setting and per sample, samples capped at the size of the
    task's instruction pool; the only shortfall is a few-shot record whose task lacks demonstrations.
    """
    return sum(n * len(options.shots) * min(options.samples, pool_sizes[t]) for t, n in task_counts.items())


def prepare(table: pa.Table, mode: str = "tags", allow_unscrubbed: bool = False) -> pa.Table:
    """The per-row stages fused into one pass: scrub, quality filters, exact-dedup keys."""
    return dedup_keys(quality(scrub(table, mode=mode, allow_unscrubbed=allow_unscrubbed)))


def live(table: pa.Table) -> pa.Table:
    return table.filter(pc.is_null(table["_drop"]))


def dropped(table: pa.Table) -> pa.Table:
    return table.filter(pc.is_valid(table["_drop"]))
