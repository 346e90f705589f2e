"""Where the steps of a build run: in-process (`local`) or as Ray tasks (`ray`, local or a cluster).

The pipeline (`pipeline.run`) is written once against one operation: run a step function over a list
of work items (a raw file, a range of dedup buckets, a shard) and hand back each item's result as it
completes. Items exchange data through files in the build's work folder (`medins.engine.runs`), never
through the driver, so a build holds one item's data per worker at a time; the driver only sees
counts, indexes and the rows that a global decision needs (duplicate keys, evaluation items).

Each step declares what one of its tasks needs (`Step.cpus`, `Step.memory_mb`); on Ray these become
the task's resource request, so a cluster schedules a heavy step (PHI scrubbing) on fewer, bigger
slots. Ray reuses worker processes across tasks: what a step loads once per process (recipes,
instruction pools, the PHI scrubber's gazetteers) stays loaded for the next item, as in an actor.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

log = logging.getLogger("medins.engine")


@dataclass(frozen=True)
class Step:
    """One kind of task of a build: the function, and what each of its tasks asks of a worker."""

    name: str
    fn: Callable[..., Any]
    cpus: float = 1.0
    memory_mb: int | None = None


class Shared:
    """A value in Ray's object store that many tasks read (the contamination index, the drops).

    Tasks get the handle, not the value, and `resolve` fetches it once per worker process: Ray would
    otherwise deserialize it for every task, which costs more than the task's work once the index
    holds a million evaluation items.
    """

    def __init__(self, ref: Any) -> None:
        self.ref = ref


_FETCHED: OrderedDict[str, Any] = OrderedDict()
_FETCHED_MAX = 4  # values of the last few builds a long-lived worker ran


def resolve(value: Any) -> Any:
    """The value behind a `Shared` handle (fetched once per process), or `value` itself."""
    if not isinstance(value, Shared):
        return value
    key = value.ref.hex()
    if key in _FETCHED:
        _FETCHED.move_to_end(key)
        return _FETCHED[key]
    import ray

    fetched = _FETCHED[key] = ray.get(value.ref)
    while len(_FETCHED) > _FETCHED_MAX:
        _FETCHED.popitem(last=False)
    return fetched


def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; absent from musl and other C libraries
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Give the heap memory that a finished task freed back to the operating system.

    A task allocates and frees large temporaries (a batch of token hashes, a sort's order, decoded
    record batches); glibc and Arrow's allocator keep much of what was freed for reuse, so without
    this a worker's resident memory would stay at the peak of the heaviest task it ever ran, through
    every later step of the build.
    """
    pa.default_memory_pool().release_unused()  # Arrow's own allocator (mimalloc, jemalloc) caches too
    if _TRIM is not None:
        _TRIM(0)


_STEP: list[str | None] = [None]


def run_task(step: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One task on a Ray worker. A worker that moves on to another step first lets go of the values
    that the last step's tasks fetched (`resolve`): the contamination index of the check step need not
    stay mapped through the write step. Freed memory goes back to the system after every task."""
    if _STEP[0] != step:
        _FETCHED.clear()
        _STEP[0] = step
    try:
        return fn(*args, **kwargs)
    finally:
        release_memory()


#: One step's share of a `map_steps`: the step, its items and the values every task of it reads.
Job = tuple[Step, list[tuple], dict[str, Any]]


class Executor(Protocol):
    name: str
    cpus: int
    #: CPUs that one task can hold: the most that any one node has (1 in-process).
    node_cpus: int

    def share(self, value: Any) -> Any: ...
    def map(self, step: Step, items: list[tuple], **shared: Any) -> Iterator[tuple[int, Any]]: ...
    def map_steps(self, jobs: list[Job]) -> Iterator[tuple[int, int, Any]]: ...
    def call(self, step: Step, *args: Any, **kwargs: Any) -> Any: ...
    def close(self) -> None: ...


class LocalExecutor:
    """Runs every task in this process, one after the other: for tests, debugging and small builds."""

    name = "local"
    cpus = 1
    node_cpus = 1

    def share(self, value: Any) -> Any:
        return value

    def map(self, step: Step, items: list[tuple], **shared: Any) -> Iterator[tuple[int, Any]]:
        for _, i, result in self.map_steps([(step, items, shared)]):
            yield i, result

    def map_steps(self, jobs: list[Job]) -> Iterator[tuple[int, int, Any]]:
        for j, (step, items, shared) in enumerate(jobs):
            for i, args in enumerate(items):
                result = step.fn(*args, **shared)
                release_memory()
                yield j, i, result

    def call(self, step: Step, *args: Any, **kwargs: Any) -> Any:
        result = step.fn(*args, **kwargs)
        release_memory()
        return result

    def close(self) -> None:
        pass


class RayExecutor:
    """Runs each work item as a Ray task; joins `address` (or `RAY_ADDRESS`) or starts Ray locally.

    Tasks that die with their worker are retried by Ray (`max_retries`); a step writes its files under
    names that depend on its item alone, atomically, so a retried task leaves the same files.
    """

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
        self.cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.node_cpus = max([1, *(int(n["Resources"].get("CPU", 0)) for n in ray.nodes() if n.get("Alive"))])
        self._remote: dict[tuple, Any] = {}

    def share(self, value: Any) -> Any:
        """Put a value that many tasks read (drops, the evaluation index) into the object store once."""
        return Shared(self.ray.put(value))

    def _task(self, step: Step) -> Any:
        key = (step.name, step.cpus, step.memory_mb)
        remote = self._remote.get(key)
        if remote is None:
            options: dict[str, Any] = {"name": f"medins.{step.name}", "num_cpus": step.cpus, "max_retries": 3}
            if step.memory_mb:
                options["memory"] = step.memory_mb * 2**20
            remote = self._remote[key] = self.ray.remote(run_task).options(**options)
        return remote

    def call(self, step: Step, *args: Any, **kwargs: Any) -> Any:
        """Run one task and return a `Shared` handle to its result, left in the object store: handed to
        `map`, each worker fetches the result once and the driver never holds it.

        Waits for the task: tasks that found the result missing would block in `resolve`, and Ray
        lends a blocked task's CPU to a new worker, which would start and block too.
        """
        ref = self._task(step).remote(step.name, step.fn, *args, **kwargs)
        self.ray.wait([ref], num_returns=1, fetch_local=False)
        return Shared(ref)

    def map(self, step: Step, items: list[tuple], **shared: Any) -> Iterator[tuple[int, Any]]:
        for _, i, result in self.map_steps([(step, items, shared)]):
            yield i, result

    def map_steps(self, jobs: list[Job]) -> Iterator[tuple[int, int, Any]]:
        """The tasks of several steps that need nothing of each other, submitted together: no CPU
        waits for the last tasks of one step before the next step starts. Yields (job, item, result)
        as tasks finish."""
        ray = self.ray
        index = {}
        for j, (step, items, shared) in enumerate(jobs):
            remote = self._task(step)
            for i, args in enumerate(items):
                index[remote.remote(step.name, step.fn, *args, **shared)] = (j, i)
        pending = list(index)
        while pending:
            ready, pending = ray.wait(pending, num_returns=min(len(pending), 64), timeout=0.05)
            if not ready:
                ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                yield *index[ref], ray.get(ref)

    def close(self) -> None:
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
