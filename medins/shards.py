"""Sharded parquet output and the manifest.

Shards are `data/{split}-{i:05d}-of-{n:05d}.parquet`, zstd-compressed, with fixed-size row groups so a
trainer can stream and split work by row group. Shard and row-group boundaries depend only on the
sorted rows, never on how batches arrived, so the same records always give the same bytes.

A build writes its shards in parallel (`shard_counts`, `shard_index`, `write_shard`): a split of B text
bytes gets ceil(B / target) shards, and shard i holds the records whose id (a uniform hex digest) falls
in the i-th of that many equal ranges, sorted by id. Reading the shards in order gives the split sorted
by id, and no shard depends on another, so any number of workers write the same bytes. `ShardWriter`
writes one sorted stream into shards that roll over at the target size (mixtures use it).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schema import RECORD_SCHEMA

DEFAULT_SHARD_MB = 256
DEFAULT_ROW_GROUP_ROWS = 1000


def _row_bytes_array(batch: pa.Table) -> pa.Array:
    """Text bytes of each row (instruction, input, output and demonstrations): what fills a shard."""
    total = pc.add(pc.binary_length(batch["input"]), pc.binary_length(batch["output"]))
    total = pc.add(total, pc.binary_length(batch["instruction"]))
    shots = pc.fill_null(pc.list_value_length(batch["shots"]), 0)
    return pc.add(pc.multiply(pc.fill_null(total, 0).cast(pa.int64()), 2), pc.multiply(shots.cast(pa.int64()), 512))


def _row_bytes(batch: pa.Table) -> list[int]:
    return _row_bytes_array(batch).to_pylist()


def split_bytes(batch: pa.Table) -> pa.Table:
    """(split, bytes) of a batch of records: what `shard_counts` adds up."""
    if batch.num_rows == 0:
        return pa.table({"split": pa.array([], pa.string()), "bytes": pa.array([], pa.int64())})
    sizes = pa.table({"split": batch["split"], "bytes": _row_bytes_array(batch)})
    grouped = sizes.group_by("split").aggregate([("bytes", "sum")])
    return pa.table({"split": grouped["split"], "bytes": grouped["bytes_sum"]})


def shard_counts(sizes: pa.Table, target_bytes: int) -> dict[str, int]:
    """Shards per split: the split's text bytes over the target, at least one."""
    totals: dict[str, int] = {}
    if sizes.num_rows == 0:
        return totals
    for split, size in zip(sizes["split"].to_pylist(), sizes["bytes"].to_pylist()):
        totals[split] = totals.get(split, 0) + size
    return {split: max(1, -(-size // max(1, target_bytes))) for split, size in sorted(totals.items())}


def shard_index(record_id: str, count: int) -> int:
    """The shard of a record id (hex digest) among `count`: equal ranges of the id space, in id order."""
    return int(record_id[:8], 16) * count >> 32


def shard_path(data_dir: Path, split: str, index: int, count: int) -> Path:
    return Path(data_dir) / f"{split}-{index:05d}-of-{count:05d}.parquet"


#: Columns with min/max statistics: the flat ones a reader filters by (task, source, split, ids...). The
#: free text (instruction, input, output) and the nested columns get none: a text's min and max say
#: nothing a filter can use, cost about a tenth of the writing, and would put text in every footer.
STATISTICS_COLUMNS = [f.name for f in RECORD_SCHEMA
                      if f.name not in ("instruction", "input", "output") and not pa.types.is_nested(f.type)]


def _parquet_writer(path: Path) -> pq.ParquetWriter:
    return pq.ParquetWriter(
        path, RECORD_SCHEMA, compression="zstd", compression_level=3, write_statistics=STATISTICS_COLUMNS,
        use_dictionary=["task", "category", "domain", "source", "license", "access", "split", "language"],
    )


def write_shard(row_groups: Iterable[pa.Table], data_dir: Path, split: str, index: int, count: int,
                row_group_rows: int = DEFAULT_ROW_GROUP_ROWS) -> ShardInfo:
    """Write one shard from its records, already sorted by id, `row_group_rows` at a time (one row
    group each: the page layout, hence the bytes, then depend on the rows alone). May be empty."""
    final = shard_path(data_dir, split, index, count)
    part = final.with_name(final.name + ".part")
    rows = 0
    with _parquet_writer(part) as writer:
        for table in row_groups:
            writer.write_table(table.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA), row_group_size=row_group_rows)
            rows += table.num_rows
    os.replace(part, final)
    return ShardInfo(str(final), split, rows, final.stat().st_size, sha256_file(final))


@dataclass
class ShardInfo:
    path: str
    split: str
    rows: int
    bytes: int = 0
    sha256: str = ""


@dataclass
class ShardWriter:
    """Writes one split's rows, already sorted, into size-bounded shards."""

    data_dir: Path
    split: str
    target_bytes: int = DEFAULT_SHARD_MB * 2**20
    row_group_rows: int = DEFAULT_ROW_GROUP_ROWS
    shards: list[ShardInfo] = field(default_factory=list)
    _writer: pq.ParquetWriter | None = None
    _pending: list[pa.Table] = field(default_factory=list)
    _pending_rows: int = 0
    _shard_bytes: int = 0
    _shard_rows: int = 0

    def _open(self) -> None:
        path = self.data_dir / f"{self.split}-{len(self.shards):05d}.parquet.part"
        self._writer = _parquet_writer(path)
        self.shards.append(ShardInfo(str(path), self.split, 0))
        self._shard_bytes = self._shard_rows = 0

    def _flush(self, final: bool = False) -> None:
        if not self._pending:
            return
        table = pa.concat_tables(self._pending)
        self._pending, self._pending_rows = [], 0
        while table.num_rows >= self.row_group_rows or (final and table.num_rows):
            # One contiguous chunk per row group: page layout, hence bytes, then depend on rows alone.
            group = table.slice(0, self.row_group_rows).combine_chunks()
            table = table.slice(group.num_rows)
            assert self._writer is not None
            self._writer.write_table(group, row_group_size=self.row_group_rows)
        if table.num_rows:
            self._pending, self._pending_rows = [table], table.num_rows

    def _close_shard(self) -> None:
        self._flush(final=True)
        if self._writer is not None:
            self._writer.close()
            self.shards[-1].rows = self._shard_rows
            self._writer = None

    def write(self, batch: pa.Table) -> None:
        batch = batch.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA)
        sizes = _row_bytes(batch)
        start = 0
        for i, size in enumerate(sizes):
            if self._writer is None:
                self._open()
            if self._shard_rows and self._shard_bytes + size > self.target_bytes:
                self._add(batch.slice(start, i - start))
                start = i
                self._close_shard()
                self._open()
            self._shard_bytes += size
            self._shard_rows += 1
        self._add(batch.slice(start))

    def _add(self, part: pa.Table) -> None:
        if part.num_rows:
            self._pending.append(part)
            self._pending_rows += part.num_rows
            if self._pending_rows >= self.row_group_rows:
                self._flush()

    def close(self) -> list[ShardInfo]:
        """Finish the last shard and give every shard its final `-of-n` name."""
        self._close_shard()
        n = len(self.shards)
        for i, info in enumerate(self.shards):
            final = self.data_dir / f"{self.split}-{i:05d}-of-{n:05d}.parquet"
            os.replace(info.path, final)
            info.path = str(final)
            info.bytes = final.stat().st_size
            info.sha256 = sha256_file(final)
        return self.shards


def write_split(data_dir: Path, split: str, batches: Iterable[pa.Table], target_mb: float = DEFAULT_SHARD_MB,
                row_group_rows: int = DEFAULT_ROW_GROUP_ROWS) -> list[ShardInfo]:
    writer = ShardWriter(data_dir, split, int(target_mb * 2**20), row_group_rows)
    for batch in batches:
        writer.write(batch)
    return writer.close()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def read_manifest(out: Path) -> dict[str, Any]:
    path = Path(out) / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no manifest; is this a medins build folder?")
    return json.loads(path.read_text(encoding="utf-8"))


def shard_files(out: Path, split: str | None = None) -> list[Path]:
    pattern = f"{split}-*.parquet" if split else "*.parquet"
    return sorted((Path(out) / "data").glob(pattern))
