"""One build, end to end: plan, run the stages on an executor, write shards, tasks, rejects, manifest.

The output folder appears whole or not at all: everything is written into a sibling temporary
folder that is renamed into place at the end, so a failed build never leaves half an output.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .. import __version__
from ..readers.base import ReaderError
from ..recipe import Recipe, load_recipe
from ..schema import SCHEMA_VERSION
from ..shards import ShardInfo, sha256_file, shard_counts, write_json
from . import runs, stages, steps
from .executors import Executor, Step, count_by, make_executor

log = logging.getLogger("medins.engine")


class BuildError(Exception):
    """A build that cannot complete (nothing readable, accounting mismatch, strict mode rejects)."""


@dataclass
class BuildConfig:
    recipes: list[Path]
    out: Path
    raw: Path | None = None
    options: stages.Options = field(default_factory=stages.Options)
    engine: str = "ray"
    ray_address: str | None = None
    shard_mb: float = 256
    row_group_rows: int = 1000
    strict: bool = False
    quiet: bool = False
    resume: bool = False
    card: bool = True
    command: str = ""


@dataclass
class BuildResult:
    out: Path
    manifest: dict[str, Any]

    @property
    def records(self) -> int:
        return sum(self.manifest["splits"].values())

    @property
    def rejects(self) -> int:
        return self.manifest["rejects"]["total"]


def _inputs(recipe: Recipe, raw: Path) -> list[dict[str, Any]]:
    """The raw files a recipe declares, with their sizes and sha256, for the manifest."""
    files: set[Path] = set()
    for pattern in recipe.files:
        files.update(p for p in raw.glob(pattern) if p.is_file())
    return [
        {"file": p.relative_to(raw).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(files)
    ]


def plan(config: BuildConfig) -> tuple[list[Recipe], list[stages.ReadTask], list[dict[str, Any]],
                                       list[dict[str, Any]]]:
    recipes: list[Recipe] = []
    read_tasks: list[stages.ReadTask] = []
    described: list[dict[str, Any]] = []
    names: set[str] = set()
    skipped: list[dict[str, Any]] = []
    partitioned: list[tuple[Recipe, Path, list[str]]] = []
    for path in config.recipes:
        recipe = load_recipe(path)
        if recipe.name in names:
            raise BuildError(f"{path}: a second recipe named {recipe.name!r}")
        names.add(recipe.name)
        tasks = recipe.select(list(config.options.tasks))
        if not tasks:
            continue
        raw = recipe.resolve_raw(config.raw).resolve()
        missing = recipe.missing_files(raw)
        if len(config.recipes) > 1 and config.raw is not None and raw == Path(config.raw).resolve():
            # A catalog build reads each recipe from its own folder under --raw; a recipe whose folder is
            # not there must not glob its patterns over every other source's files.
            missing = [f"{'/'.join((recipe.name, *recipe.aliases))}/ (no such folder)"]
        if missing and len(config.recipes) == 1:
            raise BuildError(f"{recipe.path}: raw folder {raw} lacks {', '.join(missing)}")
        if missing:
            # A catalog build against a data folder: sources the user does not have (credentialed ones,
            # say) are left out, loudly, and listed in the manifest.
            log.warning("recipe %s skipped: raw folder %s lacks %s", recipe.name, raw, ", ".join(missing))
            skipped.append({"recipe": recipe.name, "raw_dir": str(raw), "missing": missing})
            continue
        for t in tasks:
            _ = t.pool  # load now: a broken pool fails the build before any work starts
        if recipe.needs_scrub and config.options.allow_unscrubbed:
            log.warning("recipe %s: PHI scrubbing turned OFF by --allow-unscrubbed", recipe.name)
        recipes.append(recipe)
        partitioned.append((recipe, raw, recipe.part_files(raw)))
        described.append({**recipe.describe(), "path": str(recipe.path), "fingerprint": recipe.fingerprint(),
                          "raw_dir": str(raw), "inputs": _inputs(recipe, raw)})
    # A recipe whose files can be read one by one gives read tasks of consecutive files.
    sizes = [[(raw / p).stat().st_size for p in parts] for _, raw, parts in partitioned]
    least = max(READ_TASK_BYTES, sum(map(sum, sizes)) // READ_TASKS_MAX)
    for (recipe, raw, parts), part_sizes in zip(partitioned, sizes):
        for group in _part_groups(parts, part_sizes, least):
            read_tasks.append(stages.ReadTask(str(recipe.path), str(raw), group))
    if not read_tasks:
        raise BuildError("no recipe or task selected" + (
            f" ({len(skipped)} recipe(s) skipped for missing raw files)" if skipped else ""))
    return recipes, read_tasks, described, skipped


#: Raw bytes one read task takes at least, when a recipe's files are smaller: every read task costs a
#: run file of each kind, and each shard and task file reads a piece of every run. Kept small, as what
#: a read or check task holds follows its raw bytes.
READ_TASK_BYTES = 4 * 2**20
#: ...but at least this many read tasks per recipe when it has as many files, to spread a small build...
READ_TASKS_MIN = 16
#: ...and, in a build of more than READ_TASKS_MAX * READ_TASK_BYTES of raw input (1 GiB), read tasks of a
#: larger size, so that there are about this many: a shard or task-file window merges one piece of every
#: read task's run, and the cost of a merge grows with its pieces (opening each, decoding batches that it
#: needs a few rows of; fewer pieces also get larger batches, `runs.merge_batch_rows`). A 13.5M-record
#: PubMed build has 8 GB of XML: 4 MB tasks gave merges of 1,929 pieces, which made the writes the slowest
#: step; tasks of about 32 MB give some 250, still a dozen tasks a CPU on 16 CPUs.
READ_TASKS_MAX = 256


def _part_groups(parts: list[str], sizes: list[int], least: int) -> list[tuple[str, ...]]:
    """Consecutive files of a recipe grouped into read tasks of about `least` bytes, or fewer to give
    READ_TASKS_MIN tasks (one group, empty, for a recipe read whole). Depends on the files alone, so
    every engine reads the same groups."""
    if not parts:
        return [()]
    target = min(least, max(1, sum(sizes) // READ_TASKS_MIN))
    groups: list[list[str]] = [[]]
    filled = 0
    for part, size in zip(parts, sizes):
        if groups[-1] and filled + size > target:
            groups.append([])
            filled = 0
        groups[-1].append(part)
        filled += size
    return [tuple(g) for g in groups]


def _stage_counts(before: int, rejects_by_stage: dict[str, Counter], stage: str) -> dict[str, Any]:
    dropped = dict(sorted(rejects_by_stage.get(stage, Counter()).items()))
    return {"in": before, "out": before - sum(dropped.values()), "dropped": dropped}


def _reason_group(reason: str) -> str:
    prefixes = ("duplicate_of:", "near_duplicate_of:", "task_error:")
    return reason.split(":", 1)[0] if reason.startswith(prefixes) else reason


class Progress:
    """What a build reports while it runs; the CLI draws it with rich, tests leave it silent."""

    def phase(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


# The steps of a build, and what one task of each asks of a worker (`executors.Step`).
READ = Step("read", steps.read)
INDEX_PART = Step("index_part", steps.index_part)
INDEX = Step("index", steps.index)
#: Threads (and CPUs) of the task that assembles the contamination index, at most: its sorts are cut in
#: parts of about a million keys, and a 1M-record build's index has a few dozen.
INDEX_THREADS = 8
DEDUP = Step("dedup", steps.dedup)
NEAR_DEDUP = Step("near_dedup", steps.near_dedup)
CHECK = Step("check", steps.check)
RENDER = Step("render", steps.render)
SHARD = Step("shard", steps.shard)
TASK_PART = Step("task_part", steps.task_part)
TASK_FILE = Step("task_file", steps.task_file)
#: Key rows one dedup task reads at most (more tasks than CPUs in any case).
DEDUP_TASK_ROWS = 200_000
#: Instances of one task-file window: the windows of a task are written by tasks of their own, in
#: parallel with the shards, then joined. Each writer sorts its window's ids at once and holds a few
#: thousand of its instances.
TASK_WINDOW_ROWS = 50_000


def run(config: BuildConfig, progress: Progress | None = None) -> BuildResult:
    """Run a build and return its manifest. Raises BuildError when the build cannot be trusted."""
    progress = progress or Progress()
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    recipes, read_tasks, described, skipped = plan(config)
    opts = config.options
    out = Path(config.out).resolve()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    work = out.with_name(f".{out.name}.work")
    if not config.resume and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    # Checkpoints stay in the work folder for --resume; the runs that steps hand on are rebuilt.
    spill = work / "spill"
    if spill.exists():
        shutil.rmtree(spill)
    spill.mkdir()
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "data").mkdir(parents=True)
    (tmp / "tasks").mkdir()
    (tmp / "rejects").mkdir()
    _warn_if_short_of_disk(work, described)
    try:
        executor: Executor = make_executor(config.engine, config.ray_address, config.quiet)
        try:
            progress.phase(f"reading {len(recipes)} recipe(s) in {len(read_tasks)} part(s) ({executor.name} engine)",
                           len(read_tasks))
            mark = time.perf_counter()
            parts = _read(executor, read_tasks, described, config, work, spill, progress)
            extract_stats = _merge_stats([p["stats"] for p in parts])
            resumed = [p["stats"]["recipe"] for p in parts if p["resumed"]]
            timings["read"] = time.perf_counter() - mark

            mark = time.perf_counter()
            progress.phase("deduplicating")
            # Exact dedup reads the keys, not the texts, bucket range by bucket range; the drops (ids and
            # reasons) come back to the driver and go out to every check task.
            drops = _group_step(executor, DEDUP, [p["keys"] for p in parts])
            near = None
            if opts.near_dup_threshold:
                near = _group_step(executor, NEAR_DEDUP, [p["near"] for p in parts], threshold=opts.near_dup_threshold)
            timings["dedup"] = time.perf_counter() - mark
            mark = time.perf_counter()
            # The evaluation items (live test examples, user benchmarks) are indexed once; each check task
            # tests its train examples against the index.
            progress.phase("indexing the evaluation items")
            against = [row for path in opts.against for row in _eval_rows(Path(path))]
            drops, near = executor.share(drops), executor.share(near)
            # The per-item work (tokens, n-grams, MinHash) runs in parallel, one task per read item; one
            # task assembles the index from the features, in read-item order.
            features = [str(spill / f"index-part-{i:06d}.npz") for i in range(len(parts))]
            _ordered(executor.map(INDEX_PART, [(p["eval"], path) for p, path in zip(parts, features)],
                                  drops=drops, near=near), len(parts))
            # Nothing else runs while the index is assembled: its task takes the CPUs of one node (up
            # to INDEX_THREADS) and sorts on as many threads.
            threads = min(INDEX_THREADS, executor.node_cpus)
            index = executor.call(replace(INDEX, cpus=threads), features, against=against, spill=str(spill),
                                  threads=threads)
            timings["index"] = time.perf_counter() - mark
            mark = time.perf_counter()
            progress.phase("checking contamination and spilling live examples", len(parts))
            zero_shot = max(opts.shots) == 0
            recipe_paths = {r.name: str(r.path) for r in recipes}
            render_args = {"recipe_paths": recipe_paths, "demos": steps.DEMOS_SCHEMA.empty_table(), "options": opts}
            # Every shard and task-file window merges a piece of each read item's runs.
            run_rows = runs.merge_batch_rows(len(parts))
            checked: list[dict[str, Any]] = [{}] * len(parts)
            demos = steps.DEMOS_SCHEMA.empty_table()
            for i, result in executor.map(
                CHECK, [(p["examples"], f"{i:06d}") for i, p in enumerate(parts)], drops=drops, near=near,
                indexes=index, spill=str(spill),
                render=render_args if zero_shot else None, demo_chars=opts.max_demo_chars, demo_pool=opts.demo_pool,
                run_rows=run_rows,
            ):
                # Each item's share of the demonstration pools is merged as it arrives: the driver keeps
                # demo_pool examples a task, not one share per item.
                demos = steps.first_k(runs.concat([demos, result.pop("demos")], steps.DEMOS_SCHEMA), opts.demo_pool)
                checked[i] = result
                progress.advance()
            _, contamination = stages.contamination_report(runs.concat([c["hits"] for c in checked], stages.HITS_SCHEMA))
            rejects = runs.concat([c["rejects"] for c in checked], steps.REJECTS_SCHEMA)
            # The check step is done: its index and drops need not outlive it (an in-process build would
            # carry them through the write step).
            del index, drops, near, parts
            task_counts = _live_by_task(extract_stats, rejects)
            pool_sizes = {t.qualified_id: len(t.pool.instructions) for r in recipes for t in r.tasks}
            timings["check"] = time.perf_counter() - mark

            mark = time.perf_counter()
            if zero_shot:
                rendered = checked
            else:
                progress.phase("rendering prompts", len(checked))
                rendered = _ordered(executor.map(
                    RENDER, [(c["live"].path, f"{i:06d}") for i, c in enumerate(checked)],
                    args=executor.share({**render_args, "demos": demos}), spill=str(spill),
                    run_rows=run_rows),
                    len(checked), progress)
            timings["render"] = time.perf_counter() - mark

            mark = time.perf_counter()
            # Shards are written in parallel, each by one task from its pieces of every records run: their
            # number and id ranges depend on the records alone (medins.shards), so the bytes do not depend
            # on the engine or the worker count.
            sizes: Counter = Counter()
            for r in rendered:
                sizes.update(r["bytes"])
            counts = shard_counts(pa.table({"split": pa.array(list(sizes), pa.string()),
                                            "bytes": pa.array(list(sizes.values()), pa.int64())}),
                                  int(config.shard_mb * 2**20))
            record_runs = [r["records"] for r in rendered]
            shard_items = [(pieces, split, i, n) for split, n in counts.items()
                           for i, pieces in enumerate(runs.range_pieces(record_runs, split, n))]
            live_runs = [c["live"] for c in checked]
            windows: dict[str, list[str]] = {}  # each task's window files, in id order
            part_items, part_tasks = [], []
            for task in sorted({t for run in live_runs for t in run.groups}):
                total = sum(b - a for run in live_runs for a, b in [run.groups.get(task, (0, 0))])
                windows[task] = []
                for j, pieces in enumerate(runs.range_pieces(live_runs, task, -(-total // TASK_WINDOW_ROWS))):
                    windows[task].append(str(spill / f"task-{task}-{j:05d}.jsonl"))
                    part_items.append((pieces, windows[task][-1]))
                    part_tasks.append(task)
            progress.phase("writing shards and task files", len(shard_items) + len(part_items) + len(windows))
            # Shards and task-file windows need nothing of each other: their tasks run together.
            shards: list[ShardInfo] = []
            task_meta: dict[str, Counter] = {task: Counter() for task in windows}
            for job, i, result in executor.map_steps([
                (TASK_PART, part_items, {}),
                (SHARD, shard_items,
                 {"data_dir": str(tmp / "data"), "row_group_rows": config.row_group_rows}),
            ]):
                if job == 0:
                    task_meta[part_tasks[i]].update(result)
                else:
                    shards.append(ShardInfo(**result))
                progress.advance()
            shards.sort(key=lambda info: info.path)
            # The runs, index features and signatures have been read for the last time: free their disk
            # before the task files are joined, which holds a task's bytes twice until its windows go.
            windows_left = {path for paths in windows.values() for path in paths}
            for leftover in spill.iterdir():
                if leftover.is_file() and str(leftover) not in windows_left:
                    leftover.unlink()
            timings["write"] = time.perf_counter() - mark
            mark = time.perf_counter()
            headers = _task_headers(recipes, demos)
            _ordered(executor.map(TASK_FILE, [(t, windows[t], headers[t]) for t in windows],
                                  folder=str(tmp / "tasks")), len(windows), progress)
            n_rejects = _write_rejects(tmp / "rejects", rejects, config.quiet)
            timings["join"] = time.perf_counter() - mark
        finally:
            executor.close()  # first: no worker of this build writes into what a failure removes

        manifest = _manifest(config, described, skipped, sorted(set(resumed), key=resumed.index),
                             contamination, extract_stats, rejects, task_counts, pool_sizes, shards, task_meta,
                             n_rejects, timings, time.perf_counter() - t0, out)
        write_json(tmp / "manifest.json", manifest)
        total = sum(manifest["splits"].values())
        if total == 0:
            raise BuildError(f"no record could be built ({n_rejects} rejected); see the reasons above")
        if config.strict and n_rejects:
            raise BuildError(f"--strict: {n_rejects} rejected row(s); nothing written")
        if config.card:
            from ..cards import write_card

            write_card(tmp)  # on the staging folder: the output appears together with its card
        _swap_into_place(tmp, out)
    except BaseException as exc:
        _discard(tmp, spill)
        if isinstance(exc, Exception) and _out_of_disk(exc):
            raise BuildError(
                f"out of disk space writing under {work.parent} ({_free_gib(work):.1f} GiB free now that the "
                f"build's work files are removed); the checkpoints of the finished read tasks are kept in "
                f"{work}: free space (a build needs about {DISK_PER_RAW_BYTE}x its raw input there) and rerun "
                f"with --resume") from None
        raise
    shutil.rmtree(work, ignore_errors=True)
    return BuildResult(out, manifest)


#: Peak disk of a build (work folder and output) over its raw input, about: a 13.5M-record PubMed build of
#: 7.8 GB of XML peaked at 44 GB. Compressed raw files need more, by their compression ratio.
DISK_PER_RAW_BYTE = 6


def _discard(tmp: Path, spill: Path) -> None:
    """What a failed build removes: its staged output and the runs its steps handed on. The checkpoints
    of its finished read tasks stay in the work folder for --resume (which makes the runs again)."""
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(spill, ignore_errors=True)


def _free_gib(folder: Path) -> float:
    return shutil.disk_usage(folder).free / 2**30


def _warn_if_short_of_disk(work: Path, described: list[dict[str, Any]]) -> None:
    """Warn before a build starts when the disk beside --out looks too small for it: a build that runs
    out of disk fails late, after hours of reading."""
    raw = sum(f["bytes"] for d in described for f in d["inputs"])
    free = _free_gib(work)
    if free * 2**30 < DISK_PER_RAW_BYTE * raw:
        log.warning("%.1f GiB free under %s; a build of %.1f GiB of raw input may need about %.0f GiB there "
                    "(uncompressed input; more for compressed files)", free, work.parent, raw / 2**30,
                    DISK_PER_RAW_BYTE * raw / 2**30)


def _out_of_disk(exc: BaseException) -> bool:
    """Whether `exc`, or an error it wraps (a Ray task's error holds its cause), is a full disk or quota."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        current = getattr(current, "cause", None) or current.__cause__ or current.__context__
    return False


def _ordered(results, n: int, progress: Progress | None = None) -> list[Any]:
    """The results of an `Executor.map` in item order, advancing `progress` as they arrive."""
    out: list[Any] = [None] * n
    for i, result in results:
        out[i] = result
        if progress is not None:
            progress.advance()
    return out


def _group_step(executor: Executor, step: Step, key_runs: list[runs.Run], **kwargs: Any) -> pa.Table:
    """Run a dedup step over bucket ranges of the key runs; the drops of all ranges together."""
    total = sum(run.rows for run in key_runs)
    ranges = runs.bucket_ranges(key_runs, max(executor.cpus, -(-total // DEDUP_TASK_ROWS)))
    items = [(runs.group_pieces(key_runs, buckets),) for buckets in ranges]
    found = _ordered(executor.map(step, items, **kwargs), len(items))
    return runs.concat(found, stages.DROPS_SCHEMA)


def _eval_rows(path: Path) -> list[tuple[str, str, str]]:
    """(benchmark, id, text) of a user's evaluation file (JSONL or parquet with `id` and `text`, or
    `input`): the benchmark is named by the file."""
    from ..dedup.cli import read_batches

    field = "text"
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        if "text" not in pq.read_schema(path).names:
            field = "input"
    rows = []
    try:
        for batch in read_batches(path, field)():
            rows += [(path.stem, str(i), t) for i, t in zip(batch["id"].to_pylist(), batch[field].to_pylist())]
    except ValueError as exc:
        raise BuildError(f"--against: {exc}") from None
    return rows


def _checkpoint_key(entry: dict[str, Any], options: stages.Options) -> str:
    """What an extract checkpoint depends on: recipe file and pools, raw inputs, options, version."""
    material = json.dumps([__version__, entry["fingerprint"], entry["raw_dir"], entry["inputs"],
                           options.as_dict()], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def _read(executor: Executor, read_tasks, described, config: BuildConfig, work: Path, spill: Path, progress):
    """Read every item, or take it from its checkpoint in the work folder (`--resume`)."""
    entry = {d["path"]: d for d in described}
    items = []
    for i, rt in enumerate(read_tasks):
        d = entry[rt.recipe_path]
        key = f"{d['name']}-{_checkpoint_key(d, config.options)}"
        key += f"-{hashlib.sha256(chr(0).join(rt.parts).encode()).hexdigest()[:12]}" if rt.parts else ""
        items.append((rt, str(work / key), f"{i:06d}"))
    try:
        return _ordered(executor.map(READ, items, options=config.options, spill=str(spill), resume=config.resume),
                        len(items), progress)
    except ReaderError as exc:
        raise BuildError(f"cannot read raw input: {exc}") from None


def _merge_stats(stats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The counts of each recipe, its read items added up, in the order recipes were read."""
    by_recipe: dict[str, dict] = {}
    for st in stats:
        by_recipe[st["recipe"]] = _add_counts(by_recipe[st["recipe"]], st) if st["recipe"] in by_recipe else st
    return list(by_recipe.values())


def _add_counts(a: Any, b: Any) -> Any:
    """The counts of two read tasks of one recipe added up (nested dicts of numbers).

    Fixed structures keep their key order; counters by reason or task, whose keys differ between
    parts, come out sorted as `ExtractStats.as_dict` writes them.
    """
    if isinstance(a, dict):
        keys = list(a) if a.keys() == b.keys() else sorted(a.keys() | b.keys())
        return {k: _add_counts(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in keys}
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        return a + b
    return a


def _live_by_task(extract_stats: list[dict[str, Any]], rejects: pa.Table) -> dict[str, int]:
    """Examples per task that survived scrub, quality and dedup: made minus dropped after making."""
    counts: Counter = Counter()
    for st in extract_stats:
        counts.update(st["make"]["by_task"])
    if rejects.num_rows:
        after = rejects.filter(pc.is_in(rejects["_stage"], pa.array(["scrub", "quality", "dedup", "near_dedup",
                                                                       "decontam"])))
        counts.subtract(count_by(after, "task"))
    return {t: n for t, n in sorted(counts.items()) if n}


def _swap_into_place(tmp: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _write_rejects(folder: Path, rejects: pa.Table, quiet: bool) -> int:
    """One JSON line per dropped row: stage, reason, task and raw reference; never the raw text."""
    if rejects.num_rows == 0:
        return 0
    cols = ["_stage", "_drop", "task", "source", "raw_ref", "example_id", "split"]
    table = rejects.select(cols).sort_by([("_stage", "ascending"), ("raw_ref", "ascending"),
                                          ("example_id", "ascending")])
    by_stage: dict[str, list[dict]] = defaultdict(list)
    for row in table.to_pylist():
        by_stage[row["_stage"]].append({"stage": row["_stage"], "reason": row["_drop"], "task": row["task"],
                                        "source": row["source"], "raw_ref": row["raw_ref"],
                                        "example_id": row["example_id"], "split": row["split"]})
    for stage, rows in by_stage.items():
        with open(folder / f"{stage}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    return table.num_rows


def _task_headers(recipes: list[Recipe], demos: pa.Table) -> dict[str, dict[str, Any]]:
    """The header of each task file (MedS-Ins / Super-NaturalInstructions layout), three demonstrations each."""
    demo_rows: dict[str, list[dict]] = defaultdict(list)
    for row in demos.sort_by([("task", "ascending"), ("example_id", "ascending")]).to_pylist():
        if len(demo_rows[row["task"]]) < 3:
            demo_rows[row["task"]].append({"input": row["input"], "output": row["output"], "explanation": ""})
    headers = {}
    for recipe in recipes:
        for task in recipe.tasks:
            language = task.language or recipe.language
            headers[task.qualified_id] = {
                "Contributors": ["medins"],
                "Source": [recipe.name],
                "URL": [recipe.homepage] if recipe.homepage else [],
                "Categories": [task.category],
                "Reasoning": [],
                "Definition": [i.text for i in task.pool.human],
                "Input_language": [language],
                "Output_language": [language],
                "Instruction_language": ["English"],
                "Domains": [task.domain],
                "Access": recipe.access,
                "License": recipe.license,
                "MedS_Ins_task": task.meds_ins,
                "Positive Examples": demo_rows.get(task.qualified_id, []),
                "Negative Examples": [],
            }
    return headers


def _manifest(config, described, skipped, resumed, contamination, extract_stats, rejects, task_counts, pool_sizes, shards, task_meta,
              n_rejects, timings, elapsed, out) -> dict[str, Any]:
    opts = config.options
    by_stage: dict[str, Counter] = defaultdict(Counter)
    by_source: dict[str, Counter] = defaultdict(Counter)
    if rejects.num_rows:
        for stage, reason, source in zip(rejects["_stage"].to_pylist(), rejects["_drop"].to_pylist(),
                                         rejects["source"].to_pylist()):
            by_stage[stage][_reason_group(reason)] += 1
            by_source[source][stage] += 1
    read_in = sum(s["read"]["in"] for s in extract_stats)
    read_out = sum(s["read"]["out"] for s in extract_stats)
    examples = sum(s["make"]["examples"] for s in extract_stats)
    stage_list = [
        {"stage": "read", "in": read_in, "out": read_out, "dropped": dict(sorted(by_stage.get("read", {}).items()))},
        {"stage": "make", "in": sum(s["make"]["in"] for s in extract_stats),
         "out": sum(s["make"]["out"] for s in extract_stats), "examples": examples,
         "skipped": dict(sorted(sum((Counter(s["make"]["skipped"]) for s in extract_stats), Counter()).items())),
         "skipped_by_task": {t: c for s in extract_stats for t, c in s["make"]["skipped_by_task"].items()},
         "dropped": dict(sorted(by_stage.get("make", {}).items()))},
    ]
    n = examples
    for stage in ("scrub", "quality", "dedup", "near_dedup", "decontam"):
        entry = _stage_counts(n, by_stage, stage)
        stage_list.append({"stage": stage, **entry})
        n = entry["out"]
    expected = stages.expected_records(task_counts, pool_sizes, opts)
    written = sum(s.rows for s in shards)
    stage_list.append({"stage": "render", "in": expected, "out": written,
                       "dropped": {"too_few_demonstrations": expected - written} if expected != written else {}})
    problems = []
    for st in stage_list:
        dropped = sum(st["dropped"].values()) + sum(st.get("skipped", {}).values())
        if "skipped_by_task" in st and sum(sum(c.values()) for c in st["skipped_by_task"].values()) != sum(
                st["skipped"].values()):
            problems.append("make: skips by task do not add up to skips by reason")
        if st["stage"] == "make":
            if st["in"] != st["out"] + dropped:
                problems.append(f"make: {st['in']} pairs != {st['out']} + {dropped}")
        elif st["in"] != st["out"] + dropped:
            problems.append(f"{st['stage']}: {st['in']} != {st['out']} + {dropped}")
    if n != sum(task_counts.values()):
        problems.append(f"examples after dedup {n} != live examples {sum(task_counts.values())}")
    counted_rejects = sum(sum(c.values()) for c in by_stage.values())
    if counted_rejects != n_rejects:
        problems.append(f"rejects written {n_rejects} != rejects counted {counted_rejects}")
    if problems:
        raise BuildError("accounting mismatch: " + "; ".join(problems))
    splits: dict[str, int] = defaultdict(int)
    for s in shards:
        splits[s.split] += s.rows
    return {
        "medins_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "command": config.command,
        "engine": config.engine,
        "options": {**opts.as_dict(), "shard_mb": config.shard_mb, "row_group_rows": config.row_group_rows},
        "recipes": described,
        "skipped_recipes": skipped,
        "resumed_recipes": resumed,
        "stages": stage_list,
        "splits": dict(sorted(splits.items())),
        "tasks": {t: dict(sorted(c.items())) for t, c in sorted(task_meta.items())},
        "shards": [{"path": Path(s.path).relative_to(Path(s.path).parents[1]).as_posix(), "split": s.split,
                    "rows": s.rows, "bytes": s.bytes, "sha256": s.sha256} for s in shards],
        "contamination": contamination,
        "rejects": {"total": n_rejects,
                    "by_stage": {k: dict(sorted(v.items())) for k, v in sorted(by_stage.items())},
                    "by_source": {k: dict(sorted(v.items())) for k, v in sorted(by_source.items())}},
        "timings_s": {k: round(v, 3) for k, v in timings.items()} | {"total": round(elapsed, 3)},
    }
