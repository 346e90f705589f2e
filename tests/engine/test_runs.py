"""Sorted runs: the pieces the driver hands to the next step hold exactly the rows that step needs."""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from medins.engine import runs
from medins.shards import shard_index


def _table(seed: int, n: int, groups: int) -> pa.Table:
    ids = [hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()[:16] for i in range(n)]
    group = [f"g{int(x[8:10], 16) % groups}" for x in ids]
    return pa.table({"group": group, "id": ids, "payload": [f"row {i}" for i in range(n)]})


@settings(max_examples=40, deadline=None)
@given(seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=4), n=st.integers(0, 300),
       groups=st.integers(1, 5), count=st.integers(1, 9), rows_per_group=st.integers(1, 64))
def test_range_pieces_hold_each_id_range(tmp_path_factory, seeds, n, groups, count, rows_per_group):
    folder = tmp_path_factory.mktemp("runs")
    tables = [_table(seed, n, groups) for seed in seeds]
    made = [runs.write_run(t, folder / f"run-{i}.parquet", group="group", id_column="id",
                           rows_per_group=rows_per_group) for i, t in enumerate(tables)]
    everything = pa.concat_tables(tables)
    schema = everything.schema
    for g in sorted(set(everything["group"].to_pylist())):
        per_range = runs.range_pieces(made, g, count)
        assert len(per_range) == count
        for i, pieces in enumerate(per_range):
            got = runs.read_pieces(pieces, schema)
            want = sorted((r["id"], r["payload"]) for r in everything.to_pylist()
                          if r["group"] == g and shard_index(r["id"], count) == i)
            # Each run's piece is sorted by id; pieces of several runs follow one another.
            assert sorted(zip(got["id"].to_pylist(), got["payload"].to_pylist())) == want
            for path, start, stop in pieces:
                ids = runs.read_pieces([(path, start, stop)], schema)["id"].to_pylist()
                assert ids == sorted(ids)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 400), groups=st.integers(1, 40), parts=st.integers(1, 12))
def test_bucket_ranges_cover_every_group_once(tmp_path_factory, n, groups, parts):
    folder = tmp_path_factory.mktemp("buckets")
    tables = [_table(s, n, groups) for s in range(3)]
    made = [runs.write_run(t, folder / f"run-{i}.parquet", group="group", rows_per_group=7)
            for i, t in enumerate(tables)]
    ranges = runs.bucket_ranges(made, parts)
    assert 1 <= len(ranges) <= parts
    flat = [g for r in ranges for g in r]
    assert flat == sorted(set(pa.concat_tables(tables)["group"].to_pylist()))
    seen = []
    for buckets in ranges:
        got = runs.read_pieces(runs.group_pieces(made, buckets), tables[0].schema)
        assert set(got["group"].to_pylist()) == set(buckets)
        seen += got["payload"].to_pylist()
    assert sorted(seen) == sorted(p for t in tables for p in t["payload"].to_pylist())


def test_an_empty_run_reads_back_empty(tmp_path):
    table = _table(0, 0, 1)
    run = runs.write_run(table, tmp_path / "empty.parquet", group="group", id_column="id")
    assert run.rows == 0 and run.groups == {}
    assert runs.range_pieces([run], "g0", 3) == [[], [], []]
    assert runs.read_pieces([], table.schema).num_rows == 0


@settings(max_examples=40, deadline=None)
@given(seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=5), n=st.integers(0, 200),
       rows_per_group=st.integers(1, 16), slice_rows=st.integers(1, 50), data=st.data())
def test_merge_pieces_equals_a_stable_sort_of_the_pieces(tmp_path_factory, seeds, n, rows_per_group, slice_rows,
                                                         data):
    folder = tmp_path_factory.mktemp("merge")
    pieces = []
    shared_id = _table(seeds[0], 1, 1)["id"][0].as_py()
    for i, seed in enumerate(seeds):
        table = _table(seed, n, 1)
        if i and n and data.draw(st.booleans()):  # an id that another piece holds too: ties keep piece order
            table = table.set_column(1, "id", pa.array([shared_id, *table["id"].to_pylist()[1:]]))
        run = runs.write_run(table, folder / f"run-{i}.arrow", group="group", id_column="id",
                             rows_per_group=rows_per_group)
        start = data.draw(st.integers(0, run.rows))
        pieces.append((run.path, start, data.draw(st.integers(start, run.rows))))
    schema = pa.schema([("id", pa.string()), ("payload", pa.string())])
    want = runs.read_pieces(pieces, runs.run_schema(pieces[0][0])).select(schema.names)
    want = want.take(pc.sort_indices(want, sort_keys=[("id", "ascending")]))
    slices = list(runs.merge_pieces(pieces, schema, "id", slice_rows))
    assert all(s.num_rows == slice_rows for s in slices[:-1])
    assert all(s.column(0).num_chunks == 1 for s in slices)
    got = pa.concat_tables(slices) if slices else schema.empty_table()
    assert got.schema == schema
    assert got.to_pylist() == want.to_pylist()


def test_merge_batch_rows_follow_the_fan_in():
    """Runs merged by few pieces take large batches, by many small ones; a merge holds a bounded count."""
    sizes = {n: runs.merge_batch_rows(n) for n in (1, 16, 33, 145, 512, 5000)}
    assert sizes[1] == sizes[16] == runs.RUN_ROWS_MAX and sizes[5000] == runs.RUN_ROWS
    assert list(sizes.values()) == sorted(sizes.values(), reverse=True)
    for n, rows in sizes.items():
        assert rows & (rows - 1) == 0  # a power of two
        assert n * rows <= runs.MERGE_HELD_ROWS or rows == runs.RUN_ROWS


@settings(max_examples=200, deadline=None)
@given(ids=st.lists(st.text("0123456789abcdefABCDEF", min_size=8, max_size=40), max_size=30),
       cut=st.integers(0, 30), offset=st.integers(0, 3))
def test_id_prefixes_read_the_first_eight_hex_digits(ids, cut, offset):
    """The column-wise read equals int(id[:8], 16) per id, on chunked and sliced arrays too."""
    expected = [int(x[:8], 16) for x in ids]
    array = pa.array(["f" * 8] * offset + ids, pa.string()).slice(offset)
    assert runs.id_prefixes(array).tolist() == expected
    chunked = pa.chunked_array([array.slice(0, cut), array.slice(cut)], pa.string())
    assert runs.id_prefixes(chunked).tolist() == expected
    assert runs.id_prefixes(array).dtype == np.uint64


def test_id_prefixes_of_ids_that_are_not_hex_raise_and_short_ones_read_whole():
    import pytest

    with pytest.raises(ValueError):
        runs.id_prefixes(pa.array(["0123456g89"], pa.string()))
    assert runs.id_prefixes(pa.array(["abc", "0123456789"], pa.string())).tolist() == [0xABC, 0x01234567]
