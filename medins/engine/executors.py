"""Where the stages run: in-process (`local`) or on Ray (`ray`, local or a cluster).

Both executors offer the same operations and the pipeline (`pipeline.run`) is written once
against them. A stage function never sees which executor called it; batch boundaries differ between
the two, so every stage must give each row the same result whatever batch it arrives in.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from . import stages

log = logging.getLogger("medins.engine")

BATCH_ROWS = 1024
BatchFn = Callable[..., pa.Table]


class Executor(Protocol):
    name: str

    def extract(self, read_tasks: list[stages.ReadTask], options: stages.Options,
                done: Callable[[int, pa.Table, dict], None]) -> None: ...
    def from_tables(self, tables: list[pa.Table]) -> Any: ...
    def map_batches(self, data: Any, fn: BatchFn, **kwargs: Any) -> Any: ...
    def group_map(self, data: Any, key: str, fn: BatchFn, **kwargs: Any) -> Any: ...
    def materialize(self, data: Any) -> Any: ...
    def to_table(self, data: Any) -> pa.Table: ...
    def close(self) -> None: ...


def _concat(tables: list[pa.Table], schema: pa.Schema | None = None) -> pa.Table:
    tables = [t for t in tables if t is not None]
    if not tables:
        return pa.Table.from_pylist([], schema=schema) if schema is not None else pa.table({})
    return pa.concat_tables(tables, promote_options="default")


class LocalExecutor:
    """Runs every stage in this process: for tests, debugging and small builds."""

    name = "local"

    def extract(self, read_tasks, options, done):
        for i, rt in enumerate(read_tasks):
            table, st = stages.extract(rt, options)
            done(i, table, st)

    def from_tables(self, tables):
        return _concat(tables, stages.EXAMPLE_SCHEMA)

    def map_batches(self, data: pa.Table, fn: BatchFn, **kwargs):
        if data.num_rows == 0:
            return fn(data, **kwargs)
        return _concat([fn(data.slice(i, BATCH_ROWS), **kwargs) for i in range(0, data.num_rows, BATCH_ROWS)])

    def group_map(self, data: pa.Table, key: str, fn: BatchFn, **kwargs):
        if data.num_rows == 0:
            return fn(data, **kwargs)
        data = data.sort_by([(key, "ascending")])
        keys = data[key].to_pylist()
        out, start = [], 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                out.append(fn(data.slice(start, i - start), **kwargs))
                start = i
        return _concat(out)

    def materialize(self, data):
        return data.combine_chunks() if data.num_rows else data

    def to_table(self, data):
        return data

    def close(self):
        pass


def _ray_extract(rt: stages.ReadTask, options: stages.Options):
    return stages.extract(rt, options)


class RayExecutor:
    """Runs the stages as Ray tasks and `ray.data` steps; joins `address` or starts Ray locally."""

    name = "ray"

    def __init__(self, address: str | None = None, quiet: bool = False, num_cpus: int | None = None):
        import ray

        self.ray = ray
        self._started = False
        if not ray.is_initialized():
            address = address or os.environ.get("RAY_ADDRESS") or None
            kwargs: dict[str, Any] = {"log_to_driver": False, "include_dashboard": False,
                                      "configure_logging": True, "logging_level": logging.WARNING}
            if address is None and num_cpus:
                kwargs["num_cpus"] = num_cpus
            ray.init(address=address, **kwargs)
            self._started = True
        from ray.data import DataContext

        ctx = DataContext.get_current()
        ctx.enable_progress_bars = not quiet
        ctx.execution_options.preserve_order = False
        ctx.enable_operator_progress_bars = False
        ctx.print_on_execution_start = False
        ctx.enable_auto_log_stats = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        # The pull-based sort shuffle needs no aggregator actors, whose start-up dominates the
        # hash shuffle on builds of a few hundred thousand rows; it spills to disk like the others.
        from ray.data.context import ShuffleStrategy

        ctx.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
        # Few, large groups (tasks, duplicate keys): a shuffle over Ray's default 200 partitions
        # spends most of its time on empty partitions.
        self.partitions = max(2, int(ray.cluster_resources().get("CPU", 2)))
        self._extract = ray.remote(_ray_extract)

    def extract(self, read_tasks, options, done):
        ray = self.ray
        refs = [self._extract.options(num_returns=2).remote(rt, options) for rt in read_tasks]
        index = {r[1]: i for i, r in enumerate(refs)}
        pending = list(index)
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            i = index[ready[0]]
            done(i, ray.get(refs[i][0]), ray.get(ready[0]))

    def from_tables(self, tables):
        if not tables:
            return self.ray.data.from_arrow(pa.Table.from_pylist([], schema=stages.EXAMPLE_SCHEMA))
        return self.ray.data.from_arrow_refs([self.ray.put(t) for t in tables])

    def map_batches(self, data, fn: BatchFn, **kwargs):
        return data.map_batches(functools.partial(fn, **kwargs), batch_format="pyarrow",
                                batch_size=BATCH_ROWS, zero_copy_batch=True)

    def group_map(self, data, key: str, fn: BatchFn, **kwargs):
        return data.groupby(key, num_partitions=self.partitions).map_groups(functools.partial(fn, **kwargs), batch_format="pyarrow")

    def materialize(self, data):
        return data.materialize()

    def to_table(self, data) -> pa.Table:
        tables = self.ray.get(data.to_arrow_refs())
        full = [t for t in tables if t.num_rows]
        return _concat(full) if full or not tables else tables[0].slice(0, 0)

    def close(self):
        if self._started:
            self.ray.shutdown()


def make_executor(engine: str, address: str | None = None, quiet: bool = False) -> Executor:
    if engine == "local":
        return LocalExecutor()
    if engine == "ray":
        return RayExecutor(address=address, quiet=quiet)
    raise ValueError(f"unknown engine {engine!r}; use 'ray' or 'local'")


def count_by(table: pa.Table, column: str) -> dict[str, int]:
    if table.num_rows == 0:
        return {}
    counts = pc.value_counts(table[column]).to_pylist()
    return {c["values"]: c["counts"] for c in counts}
