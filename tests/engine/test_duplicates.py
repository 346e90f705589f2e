"""Exact dedup's group step (`stages.duplicates`) against a plain row-by-row statement of its rule."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from medins.dedup.clusters import keep_sort_key
from medins.engine import stages

RANK = {"train": 0, "validation": 1, "test": 2}


def reference(rows: list[dict]) -> set[tuple[str, str]]:
    """(dropped id, kept id): all but the first of each key (train first, then lowest id); then, among
    the kept non-test rows, an item (`_xkey`) held by several sources stays in the keep policy's source."""
    drops = set()
    by_key: dict[str, list[dict]] = {}
    for r in rows:
        by_key.setdefault(r["_key"], []).append(r)
    kept = []
    for members in by_key.values():
        members.sort(key=lambda r: (RANK.get(r["split"], 3), r["example_id"]))
        drops |= {(m["example_id"], members[0]["example_id"]) for m in members[1:]}
        kept.append(members[0])
    by_item: dict[str, list[dict]] = {}
    for r in kept:
        if r["split"] != "test":
            by_item.setdefault(r["_xkey"], []).append(r)
    for members in by_item.values():
        keeper = min(members, key=lambda m: keep_sort_key({**m, "id": m["example_id"]}))
        drops |= {(m["example_id"], keeper["example_id"]) for m in members if m["source"] != keeper["source"]}
    return drops


row = st.fixed_dictionaries({
    "item": st.integers(0, 6), "variant": st.integers(0, 1),
    "split": st.sampled_from(["train", "validation", "test", "other"]),
    "source": st.sampled_from(["a", "b", "c"]),
    "license": st.sampled_from(["MIT", "CC BY-NC 4.0", None]),
    "access": st.sampled_from(["open", "credentialed"]),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(row, min_size=1, max_size=40))
def test_duplicates_follows_the_rule(drawn):
    rows = [{"_bucket": "00", "_key": f"{r['item']}-{r['variant']}", "_xkey": str(r["item"]), "split": r["split"],
             "source": r["source"], "license": r["license"], "access": r["access"], "example_id": f"{i:04x}"}
            for i, r in enumerate(drawn)]
    # The same item in two sources shares `_xkey` but not `_key` (the task differs).
    for r in rows:
        r["_key"] = f"{r['_key']}-{r['source']}"
    found = stages.duplicates(pa.Table.from_pylist(rows))
    pairs = set(zip(found["example_id"].to_pylist(), found["cluster"].to_pylist()))
    assert pairs == reference(rows)
    assert found["reason"].to_pylist() == [f"duplicate_of:{c}" for c in found["cluster"].to_pylist()]
    assert len(set(found["example_id"].to_pylist())) == found.num_rows
