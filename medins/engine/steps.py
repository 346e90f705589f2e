"""What one task of each build step does with one work item: the stages of `stages` around file I/O.

    read     raw files (or a recipe)   extract, scrub, quality, dedup keys; checkpoint; key and test-item runs
    dedup    a range of key buckets    exact duplicates among whole key groups (near_dedup: near ones)
    idxpart  one read item's tests     index features (words, n-grams, MinHash) of the test items
                                       that dedup left
    index    the build                 contamination index assembled from the features
    check    one read item's examples  drops applied, contamination checked; live examples run,
                                       rejects, demonstration pool; rendered records run (zero-shot)
    render   one live examples run     zero/few-shot records run (when demonstrations are needed)
    shard    one output shard          its pieces of every records run, merged by id, with their
                                       messages (derived from the other columns), written
    taskpart one id window of a task   its instances, merged by id, as task-file lines
    taskfile one task                  its header and its windows' lines, joined

Every function takes and returns plain values (paths, small tables, `runs.Run` indexes), writes its
files atomically under names set by its item, and gives the same result in-process or on a Ray worker.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..schema import EXAMPLE_SCHEMA
from ..shards import split_bytes, write_shard
from . import runs, stages
from .executors import resolve

#: Examples as checkpointed after the per-row stages: the example columns and the exact-dedup keys.
PREPARED_SCHEMA = pa.schema([*EXAMPLE_SCHEMA, pa.field("_key", pa.string()), pa.field("_xkey", pa.string()),
                             pa.field("_bucket", pa.string())])
KEYS_SCHEMA = pa.schema([("_bucket", pa.string()), ("_key", pa.string()), ("_xkey", pa.string()),
                         ("split", pa.string()), ("source", pa.string()), ("license", pa.string()),
                         ("access", pa.string()), ("example_id", pa.string())])
REJECT_COLUMNS = ["_stage", "_drop", "task", "source", "raw_ref", "example_id", "split"]
REJECTS_SCHEMA = pa.schema([EXAMPLE_SCHEMA.field(c) for c in REJECT_COLUMNS])
DEMOS_SCHEMA = pa.schema([EXAMPLE_SCHEMA.field(c) for c in ("task", "example_id", "input", "output")])
EVAL_SCHEMA = pa.schema([("id", pa.string()), ("source", pa.string()), ("input", pa.string())])
#: What a task file holds of each instance.
TASK_SCHEMA = pa.schema([EXAMPLE_SCHEMA.field(c) for c in ("example_id", "input", "output", "split")])


def _write_atomic(path: Path, write) -> None:
    part = path.with_name(path.name + ".part")
    write(part)
    os.replace(part, path)


def read(read_task: stages.ReadTask, checkpoint: str, name: str, *, options: stages.Options, spill: str,
         resume: bool) -> dict[str, Any]:
    """Read one item and run the per-row stages, or take them from its checkpoint (`--resume`).

    The checkpoint (the prepared examples, then their counts) is written atomically, parquet first,
    so a counts file means a complete checkpoint. Returns the counts, the key run for exact dedup (and
    the near-dup view's run), and the run of live test-split items that the contamination index holds.
    """
    done = Path(checkpoint + ".json")
    examples = Path(checkpoint + ".parquet")
    resumed = resume and done.exists()
    if resumed:
        table = pq.read_table(examples, schema=PREPARED_SCHEMA)
        stats = json.loads(done.read_text())
    else:
        table, stats = stages.extract(read_task, options)
        table = stages.prepare(table, mode=options.phi_mode, allow_unscrubbed=options.allow_unscrubbed)
        table = table.cast(PREPARED_SCHEMA)
        _write_atomic(examples, lambda p: pq.write_table(table, p, compression=runs.RUN_COMPRESSION))
        _write_atomic(done, lambda p: p.write_text(json.dumps(stats)))
    keys = runs.write_run(stages.dedup_view(table).cast(KEYS_SCHEMA), Path(spill) / f"keys-{name}.arrow",
                          group="_bucket", id_column="example_id", rows_per_group=runs.GROUP_RUN_ROWS)
    near = None
    if options.near_dup_threshold:
        view = stages.near_dup_view(table)
        view = view.append_column("_bucket", runs.hex_bucket(_group_digest(view["group"])))
        near = runs.write_run(view, Path(spill) / f"near-{name}.arrow", group="_bucket", id_column="id",
                              rows_per_group=runs.GROUP_RUN_ROWS)
    evals = runs.write_run(stages.eval_view(table).cast(EVAL_SCHEMA), Path(spill) / f"eval-{name}.arrow",
                           rows_per_group=runs.GROUP_RUN_ROWS)
    return {"stats": stats, "resumed": resumed, "examples": str(examples), "keys": keys, "near": near,
            "eval": evals}


def _group_digest(groups: pa.ChunkedArray) -> pa.Array:
    from ..recipe import stable_hash

    return pa.array([stable_hash(g, length=8) for g in groups.to_pylist()], pa.string())


def index_part(run: runs.Run, path: str, *, drops: pa.Table, near: pa.Table | None) -> None:
    """Write to `path` the index features of one read item's test items that dedup left."""
    drops, near = resolve(drops), resolve(near)
    gone = runs.concat([drops, near], drops.schema)["example_id"]
    items = runs.read_pieces([(run.path, 0, run.rows)], EVAL_SCHEMA)
    items = items.filter(pc.invert(pc.is_in(items["id"], value_set=gone)))
    stages.test_item_features(items).save(path)


def index(parts: list[str], *, against: list[tuple[str, str, str]], spill: str, threads: int = 1):
    """The contamination index of the live test items (their features, `parts`, in read-item order)
    and of `--against` items.

    Built by one task: on Ray the driver never holds the index, which goes to the object store once
    and from there to every check task. The items' MinHash signatures stay in files in `spill`. The
    task holds `threads` CPUs (nothing else runs while it does) and sorts on as many threads.
    """
    from ..dedup import IndexPart

    return stages.contamination_index((IndexPart.load(p) for p in parts), against, spill, threads)


def dedup(pieces: list[runs.Piece]) -> pa.Table:
    """Exact duplicates among the whole key groups that `pieces` hold (a range of buckets)."""
    return stages.duplicates(runs.read_pieces(pieces, KEYS_SCHEMA))


def near_dedup(pieces: list[runs.Piece], *, threshold: float) -> pa.Table:
    """Near duplicates among the whole near-dup groups that `pieces` hold."""
    view = runs.read_pieces(pieces, runs.run_schema(pieces[0][0]))
    return stages.near_duplicates(view.drop_columns(["_bucket"]), threshold)


def check(examples: str, name: str, *, drops: pa.Table, near: pa.Table | None, indexes: tuple, spill: str,
          render: dict[str, Any] | None, demo_chars: int, demo_pool: int, run_rows: int) -> dict[str, Any]:
    """Apply the dedup drops, check contamination, and spill what is left.

    Returns the rejects (reference columns only, never text), the contamination hits, this item's
    share of each task's demonstration pool (its `demo_pool` smallest ids: the global pool is the
    smallest of those), the run of live examples by task, and, when `render` is given (zero-shot
    builds need no demonstrations), the run of rendered records by split with their text bytes (the
    live run then holds only what the task files take).
    """
    drops, near, indexes = resolve(drops), resolve(near), resolve(indexes)
    table = pq.read_table(examples, schema=PREPARED_SCHEMA)
    table = stages.apply_dedup(table, drops)
    if near is not None:
        table = stages.apply_drops(table, near, stage="near_dedup")
    hits = stages.contamination_hits(table, indexes)
    decon, _ = stages.contamination_report(hits)
    table = stages.apply_drops(table, decon, stage="decontam")
    live = stages.live(table)
    out: dict[str, Any] = {
        "hits": hits,
        "rejects": stages.dropped(table).select(REJECT_COLUMNS),
        "demos": demo_share(live, demo_chars, demo_pool),
    }
    if render is not None:
        out.update(_render(live, render, spill, name, run_rows))
        # Zero-shot: the live run is read by the task-file writers alone, which need these columns.
        live = live.select(["task", *TASK_SCHEMA.names])
    out["live"] = runs.write_run(live, Path(spill) / f"live-{name}.arrow", group="task", id_column="example_id",
                                 rows_per_group=run_rows)
    return out


def demo_share(live: pa.Table, max_chars: int, k: int) -> pa.Table:
    """Each task's k smallest-id demonstration candidates among `live`: a mergeable share of its pool."""
    return first_k(stages.demo_candidates(live, max_chars), k)


def first_k(demos: pa.Table, k: int) -> pa.Table:
    """The k smallest example ids of each task: shares merged by this give the pool of the whole build."""
    cands = demos.sort_by([("task", "ascending"), ("example_id", "ascending")])
    if cands.num_rows == 0:
        return DEMOS_SCHEMA.empty_table()
    tasks = cands["task"].to_pylist()
    keep, start = [], 0
    for i in range(1, len(tasks) + 1):
        if i == len(tasks) or tasks[i] != tasks[start]:
            keep += range(start, min(i, start + k))
            start = i
    return cands.take(pa.array(keep, pa.int64())).cast(DEMOS_SCHEMA)


def render(live: str, name: str, *, args: dict[str, Any], spill: str, run_rows: int) -> dict[str, Any]:
    """Render one live examples run into a records run (builds with few-shot prompts)."""
    return _render(runs.read_run(live).cast(EXAMPLE_SCHEMA), resolve(args), spill, name, run_rows)


def _render(live: pa.Table, args: dict[str, Any], spill: str, name: str, run_rows: int) -> dict[str, Any]:
    records = stages.render(live.select(EXAMPLE_SCHEMA.names), **args)
    sizes = split_bytes(records)
    return {"records": runs.write_run(records, Path(spill) / f"records-{name}.arrow", group="split", id_column="id",
                                      rows_per_group=run_rows),
            "bytes": dict(zip(sizes["split"].to_pylist(), sizes["bytes"].to_pylist()))}


def shard(pieces: list[runs.Piece], split: str, index: int, count: int, *, data_dir: str,
          row_group_rows: int) -> dict[str, Any]:
    """Write one output shard from its pieces of every records run."""
    rows = runs.merge_pieces(pieces, stages.RENDERED_SCHEMA, "id", row_group_rows)
    info = write_shard(map(stages.with_messages, rows), Path(data_dir), split, index, count, row_group_rows)
    return {"path": info.path, "split": info.split, "rows": info.rows, "bytes": info.bytes, "sha256": info.sha256}


#: Instances a task-file window writer takes from its merge at once.
TASK_SLICE_ROWS = 2048


def task_part(pieces: list[runs.Piece], path: str) -> dict[str, int]:
    """Write one id window of a task file's instances: its pieces of every live run, merged by id."""
    return stages.write_task_part(runs.merge_pieces(pieces, TASK_SCHEMA, "example_id", TASK_SLICE_ROWS), path)


def task_file(task: str, parts: list[str], header: dict[str, Any], *, folder: str) -> None:
    """Write one task file: its header and its windows' instances, in id order."""
    stages.join_task_file(task, parts, folder, header)
