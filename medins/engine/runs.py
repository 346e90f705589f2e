"""Sorted runs: how the steps of a build hand data to each other without going through the driver.

A step that produces rows for a later, differently cut step (examples read from one raw file, later
grouped by dedup bucket, by output shard or by task) sorts them by (group, id) and writes them once, as
an Arrow IPC file in the build's work folder with small, fixed-size record batches: a *run*. It returns a small
`Run` to the driver: where each group's rows lie in the file and, when the later cut is an id range
(shards, task-file windows), the 32-bit id prefix of every row. The driver turns those into
`Piece`s (file, first row, end row) for each task of the next step, which decodes only the batches
its pieces cover. Memory per task is then bounded by what the task itself handles, whatever the size
of the build; the driver keeps four bytes per record at most.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Rows per record batch of a run, at least: a piece decodes at most two batches it only partly needs,
#: and a merge of many pieces holds one decoded batch of each. Each batch also costs a fixed part to
#: write and to decode (per column and buffer): 256-row batches of records wrote and read back two to
#: three times faster per row than 64-row ones. So runs that are merged take batches as large as the
#: merges' fan-in allows (`merge_batch_rows`).
RUN_ROWS = 64
#: ...and at most.
RUN_ROWS_MAX = 1024
#: Rows a merge holds decoded at once, one batch of each of its pieces, at most (about 40 MB of records).
MERGE_HELD_ROWS = 32768
#: Rows per batch of the runs that are read by whole groups and never merged (dedup keys, test items):
#: no merge holds a batch of each, so they take the faster, larger batches.
GROUP_RUN_ROWS = 1024
#: Runs are read back once or twice, a few batches at a time: Arrow IPC files with lz4-compressed
#: batches, whose footer lists only batch offsets (a parquet footer describes every column of every
#: row group, and reading it cost more than reading a small piece).
RUN_COMPRESSION = "lz4"
#: Rows that `merge_pieces` takes from its pieces at once (some 20 MB of records). Each block costs a
#: slice of every piece and one concatenation of the slices: in a merge of 643 pieces, blocks of 16,384
#: rows merged records 1.5 to 2 times faster than blocks of 4,096.
MERGE_BLOCK_ROWS = 16384


@dataclass
class Run:
    """A sorted run file: row ranges per group, and optionally the id prefixes of each group."""

    path: str
    rows: int
    groups: dict[str, tuple[int, int]] = field(default_factory=dict)
    prefixes: dict[str, np.ndarray] = field(default_factory=dict)


#: (path, start row, end row) of one run.
Piece = tuple[str, int, int]


def merge_batch_rows(fan_in: int) -> int:
    """Rows per batch of runs that merges of `fan_in` pieces read: the largest power of two that keeps
    a merge under MERGE_HELD_ROWS decoded rows, within [RUN_ROWS, RUN_ROWS_MAX]. A build of few read
    items gets large batches; one of many, small ones. Batch size never changes what a merge yields."""
    rows = RUN_ROWS
    while rows * 2 <= min(RUN_ROWS_MAX, MERGE_HELD_ROWS // max(1, fan_in)):
        rows *= 2
    return rows


_HEX_VALUE = np.full(256, 255, dtype=np.uint8)
for _digit, _value in zip(b"0123456789abcdefABCDEF", [*range(16), *range(10, 16)]):
    _HEX_VALUE[_digit] = _value
_NIBBLE_SHIFTS = np.arange(28, -1, -4, dtype=np.uint64)


def id_prefixes(ids: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The first 32 bits of hex digest ids, as unsigned integers (what `shards.shard_index` reads).

    Read from the ids' bytes as an (n, 8) array of hex digits. When some id is shorter or not hex, every id
    takes the per-id path, `int(id[:8], 16)`, which reads a short id whole and raises on one that is not hex."""
    first = pc.utf8_slice_codeunits(ids, 0, 8)
    first = first.combine_chunks() if isinstance(first, pa.ChunkedArray) else first
    n = len(first)
    if n and not first.null_count and pc.all(pc.equal(pc.binary_length(first), 8)).as_py():
        offsets = np.frombuffer(first.buffers()[1], dtype=np.int32, count=n + 1, offset=first.offset * 4)
        data = np.frombuffer(first.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        digits = _HEX_VALUE[data.reshape(n, 8)]
        if (digits < 16).all():
            return (digits.astype(np.uint64) << _NIBBLE_SHIFTS).sum(axis=1, dtype=np.uint64)
    return np.fromiter((int(x[:8], 16) for x in first.to_pylist()), dtype=np.uint64, count=n)


def write_run(table: pa.Table, path: str | Path, group: str | None = None, id_column: str | None = None,
              rows_per_group: int = RUN_ROWS) -> Run:
    """Sort `table` by (`group`, `id_column`) and write it as a run (atomically: a retried task that
    writes the same rows leaves the same file)."""
    keys = [(c, "ascending") for c in (group, id_column) if c]
    if keys and table.num_rows:
        table = table.sort_by(keys)
    path = Path(path)
    part = path.with_name(path.name + ".part")
    options = pa.ipc.IpcWriteOptions(compression=RUN_COMPRESSION)
    schema = table.schema.with_metadata({**(table.schema.metadata or {}), b"medins.batch_rows": str(rows_per_group)})
    with pa.OSFile(str(part), "wb") as sink, pa.ipc.new_file(sink, schema, options=options) as writer:
        for batch in table.combine_chunks().to_batches(max_chunksize=rows_per_group):
            writer.write_batch(batch)
    os.replace(part, path)
    run = Run(str(path), table.num_rows)
    if group and table.num_rows:
        spans = pc.run_end_encode(table[group].combine_chunks())  # the rows are sorted: one span a group
        ends = spans.run_ends.to_pylist()
        run.groups = {g: (a, b) for g, a, b in zip(spans.values.to_pylist(), [0, *ends[:-1]], ends)}
        if id_column:
            prefixes = id_prefixes(table[id_column])
            run.prefixes = {g: prefixes[a:b] for g, (a, b) in run.groups.items()}
    return run


def read_run(path: str | Path) -> pa.Table:
    """A whole run."""
    with pa.OSFile(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def run_schema(path: str | Path) -> pa.Schema:
    with pa.OSFile(str(path)) as source:
        return pa.ipc.open_file(source).schema


def range_bounds(count: int) -> np.ndarray:
    """The id-prefix bounds of `count` equal ranges: range i holds prefixes in [b[i], b[i + 1])."""
    i = np.arange(count + 1, dtype=object)
    return np.array([-(-(k << 32) // count) for k in i.tolist()], dtype=np.uint64)


def range_pieces(runs: list[Run], group: str, count: int) -> list[list[Piece]]:
    """For each of `count` id ranges, the pieces of every run's `group` rows that fall in it."""
    bounds = range_bounds(count)
    out: list[list[Piece]] = [[] for _ in range(count)]
    for run in runs:
        if group not in run.groups:
            continue
        start, _ = run.groups[group]
        cuts = np.searchsorted(run.prefixes[group], bounds, side="left").tolist()
        for i in range(count):
            if cuts[i + 1] > cuts[i]:
                out[i].append((run.path, start + cuts[i], start + cuts[i + 1]))
    return out


def group_pieces(runs: list[Run], groups: list[str]) -> list[Piece]:
    """The pieces holding `groups` (consecutive in sort order) in every run."""
    out = []
    for run in runs:
        spans = [run.groups[g] for g in groups if g in run.groups]
        if spans:
            out.append((run.path, min(a for a, _ in spans), max(b for _, b in spans)))
    return out


class _Cursor:
    """Reads one piece from its start onwards, a few rows at a time, decoding each batch once."""

    def __init__(self, piece: Piece, columns: list[int] | None = None) -> None:
        path, self.at, self.stop = piece
        options = pa.ipc.IpcReadOptions(included_fields=columns) if columns is not None else None
        self.source = pa.OSFile(path)
        self.reader = pa.ipc.open_file(self.source, options=options)
        self.size = int(self.reader.schema.metadata[b"medins.batch_rows"])
        self.index, self.batch = -1, None

    def take(self, n: int) -> list[pa.RecordBatch]:
        """The next `n` rows of the piece."""
        out = []
        while n > 0:
            i = self.at // self.size
            if i != self.index:
                self.index, self.batch = i, self.reader.get_batch(i)
            offset = self.at - i * self.size
            part = self.batch.slice(offset, min(n, self.batch.num_rows - offset))
            out.append(part)
            self.at += part.num_rows
            n -= part.num_rows
            if self.at == i * self.size + self.batch.num_rows:  # used up: not held while other pieces are read
                self.index, self.batch = -1, None
        return out

    def close(self) -> None:
        self.source.close()


def read_pieces(pieces: list[Piece], schema: pa.Schema) -> pa.Table:
    """The rows of `pieces`, in order, decoding only the record batches they cover."""
    batches = []
    for piece in pieces:
        if piece[2] > piece[1]:
            cursor = _Cursor(piece)
            batches += cursor.take(piece[2] - piece[1])
            cursor.close()
    if not batches:
        return schema.empty_table()
    table = pa.Table.from_batches(batches)
    return table if table.schema.equals(schema) else table.cast(schema)


def merge_pieces(pieces: list[Piece], schema: pa.Schema, key: str, rows: int) -> Iterator[pa.Table]:
    """The rows of `pieces`, each sorted by `key`, merged into `key` order and handed out `rows` at a
    time, each as one contiguous chunk: the same rows, in the same order, as sorting the pieces' rows
    concatenated (stably), without holding more of them than one slice.

    The order comes from the keys alone, read first. Each piece's rows then leave it in its own order,
    so a slice of the merge takes the next few rows of each piece and interleaves them.
    """
    pieces = [p for p in pieces if p[2] > p[1]]
    if not pieces:
        return
    names = run_schema(pieces[0][0]).names
    keys = []
    for piece in pieces:
        cursor = _Cursor(piece, [names.index(key)])
        keys += cursor.take(piece[2] - piece[1])
        cursor.close()
    order = pc.sort_indices(pa.Table.from_batches(keys), sort_keys=[(key, "ascending")]).to_numpy()
    del keys
    source = np.repeat(np.arange(len(pieces), dtype=np.int32), [p[2] - p[1] for p in pieces])[order]
    del order
    columns = sorted(names.index(name) for name in schema.names)  # decode these columns only
    cursors = [_Cursor(piece, columns) for piece in pieces]
    try:
        yield from _interleave(cursors, source, schema, rows)
    finally:
        for cursor in cursors:
            cursor.close()


def _interleave(cursors: list[_Cursor], source: np.ndarray, schema: pa.Schema, rows: int) -> Iterator[pa.Table]:
    """Slices of `rows` rows, row i taken from the next row of cursor `source[i]`."""
    # Rows are taken from the pieces a block of slices at a time: per slice, with many pieces, each
    # would give a few rows and the cost of a take per piece would outweigh the rows' own.
    block = rows * max(1, MERGE_BLOCK_ROWS // rows)
    for begin in range(0, source.size, block):
        which = source[begin : begin + block]
        counts = np.bincount(which, minlength=len(cursors))
        batches = [b for p in np.flatnonzero(counts).tolist() for b in cursors[p].take(int(counts[p]))]
        # the slices, piece after piece, hold the rows in the stable order of `which`; invert it
        place = np.empty(which.size, dtype=np.int64)
        place[np.argsort(which, kind="stable")] = np.arange(which.size)
        # one chunk: a take from many chunks costs much more than from one
        table = pa.Table.from_batches(batches).select(schema.names).combine_chunks()
        if not table.schema.equals(schema):
            table = table.cast(schema)
        for start in range(0, which.size, rows):
            yield table.take(pa.array(place[start : start + rows])).combine_chunks()


def bucket_ranges(runs: list[Run], parts: int) -> list[list[str]]:
    """Consecutive groups (dedup buckets) cut into at most `parts` ranges of about equal rows."""
    sizes: dict[str, int] = {}
    for run in runs:
        for g, (a, b) in run.groups.items():
            sizes[g] = sizes.get(g, 0) + b - a
    if not sizes:
        return []
    total = sum(sizes.values())
    per = max(1, -(-total // max(1, parts)))
    out: list[list[str]] = [[]]
    filled = 0
    for g in sorted(sizes):
        if filled >= per and out[-1]:
            out.append([])
            filled = 0
        out[-1].append(g)
        filled += sizes[g]
    return out


def concat(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    full = [t for t in tables if t is not None and t.num_rows]
    return pa.concat_tables(full).cast(schema) if full else schema.empty_table()


def hex_bucket(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The first two hex digits of hex digests: 256 buckets of about equal size."""
    return pc.utf8_slice_codeunits(values, 0, 2)
