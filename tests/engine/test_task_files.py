"""Task files written window by window, in parallel with the shards, then joined."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from medins.engine import pipeline, stages
from tests.conftest import build

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)  # controls, quotes, backslashes, any plane


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(TEXT, TEXT, TEXT, st.sampled_from(["train", "test"])), max_size=8))
def test_instance_lines_are_what_json_dumps_writes(rows) -> None:
    table = pa.table({name: pa.array([r[i] for r in rows], pa.string())
                      for i, name in enumerate(("example_id", "input", "output", "split"))})
    expected = ["    " + json.dumps({"id": e, "input": i, "output": [o], "split": s}, ensure_ascii=False)
                for e, i, o, s in rows]
    assert stages.instance_lines(table) == expected


def test_a_missing_value_is_written_as_null() -> None:
    table = pa.table({"example_id": ["a"], "input": [None], "output": ["x"], "split": ["train"]})
    line = stages.instance_lines(table)[0]
    assert json.loads(line)["input"] is None


def _instances(tmp_path: Path, windows: list[list[tuple[str, str]]]) -> dict:
    paths = []
    for j, rows in enumerate(windows):
        table = pa.table({"example_id": [r[0] for r in rows], "input": [r[1] for r in rows],
                          "output": ["o"] * len(rows), "split": ["train"] * len(rows)},
                         schema=pa.schema([(c, pa.string()) for c in ("example_id", "input", "output", "split")]))
        paths.append(str(tmp_path / f"w{j}.jsonl"))
        counts = stages.write_task_part([table.slice(0, 1), table.slice(1)], paths[-1])
        assert counts == ({"train": len(rows)} if rows else {})
    stages.join_task_file("t", paths, str(tmp_path), {"Source": ["s"]})
    return json.loads((tmp_path / "t.json").read_text())


def test_windows_join_into_one_array_whatever_windows_are_empty(tmp_path) -> None:
    data = _instances(tmp_path, [[], [("a", "1"), ("b", "2")], [], [("c", "3")], []])
    assert data["Source"] == ["s"]
    assert [i["id"] for i in data["Instances"]] == ["a", "b", "c"]
    (tmp_path / "empty").mkdir()
    assert _instances(tmp_path / "empty", [[], []])["Instances"] == []


def _task_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "tasks").glob("*.json"))}


def test_task_files_cut_into_many_windows_are_byte_identical(tmp_path, monkeypatch, ray_session) -> None:
    whole, _ = build("pubmedqa", tmp_path, shots=(0,))
    monkeypatch.setattr(pipeline, "TASK_WINDOW_ROWS", 3)  # most windows hold 0 to 5 instances
    local, _ = build("pubmedqa", tmp_path, shots=(0,))
    on_ray, _ = build("pubmedqa", tmp_path, engine="ray", shots=(0,))
    files = _task_files(whole.out)
    assert files and all(json.loads(b)["Instances"] for b in files.values())
    assert _task_files(local.out) == files
    assert _task_files(on_ray.out) == files
    assert local.manifest["tasks"] == on_ray.manifest["tasks"] == whole.manifest["tasks"]


def test_a_join_removes_its_windows_and_a_retried_join_keeps_the_file(tmp_path) -> None:
    data = _instances(tmp_path, [[("a", "1")], [("b", "2")]])
    assert [i["id"] for i in data["Instances"]] == ["a", "b"]
    assert not list(tmp_path.glob("w*.jsonl"))  # the task file holds them now
    before = (tmp_path / "t.json").read_bytes()
    stages.join_task_file("t", [str(tmp_path / "w0.jsonl"), str(tmp_path / "w1.jsonl")], str(tmp_path), {"x": 1})
    assert (tmp_path / "t.json").read_bytes() == before
