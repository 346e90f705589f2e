"""End-to-end builds: real PubMedQA, determinism, bad input, accounting, atomic output."""

import json
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from medins.engine import BuildConfig, BuildError, Options, run
from medins.validate import validate
from tests.conftest import RECIPES, build, by_ref, shared


def shard_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "data").glob("*.parquet"))}


def test_pubmedqa_real_file_builds_every_item(tmp_path):
    raw = shared("pubmedqa")
    result, records = build("pubmedqa", tmp_path, raw=raw, shots=(0, 3))
    stages = {s["stage"]: s for s in result.manifest["stages"]}
    assert stages["read"] == {"stage": "read", "in": 1000, "out": 1000, "dropped": {}}
    assert stages["make"]["examples"] == 2000 and result.rejects == 0
    answer = [r for r in records if r["task"] == "pubmedqa.answer" and not r["shots"]]
    assert len(answer) == 1000
    test_ids = set(json.loads((raw / "test_ground_truth.json").read_text()))
    assert {r["raw_ref"].split("#")[1] for r in answer if r["split"] == "test"} == test_ids
    assert {r["output"] for r in answer} == {"yes", "no", "maybe"}
    assert validate(result.out).ok


def test_records_are_exact_on_the_sample(tmp_path):
    _, records = build("pubmedqa", tmp_path)
    rec = by_ref(records, "pubmedqa.answer")["ori_pqal.json#90000002"]
    assert rec["split"] == "test" and rec["output"] == "no"
    assert rec["input"].startswith("Context: Ferritin rises with inflammation")
    assert rec["input"].endswith("\nQuestion: Is serum ferritin a reliable marker of iron deficiency in chronic "
                                 "kidney disease?")
    assert rec["messages"][0] == {"role": "system", "content": rec["instruction"]}
    assert rec["instruction_id"].startswith("h") and rec["access"] == "open" and rec["license"] == "MIT"
    assert rec["category"] == "Question Answering" and rec["domain"] == "Academic Papers"


def test_two_builds_are_byte_identical(tmp_path):
    a, _ = build("pubmedqa", tmp_path, shots=(0, 2), samples=2)
    b, _ = build("pubmedqa", tmp_path, shots=(0, 2), samples=2)
    assert shard_bytes(a.out) == shard_bytes(b.out) and shard_bytes(a.out)
    for task_file in (a.out / "tasks").glob("*.json"):
        assert task_file.read_bytes() == (b.out / "tasks" / task_file.name).read_bytes()


def test_local_and_ray_engines_give_identical_shards(tmp_path, ray_session):
    raw = shared("pubmedqa")
    a, _ = build("pubmedqa", tmp_path, raw=raw, engine="local", shots=(0, 3))
    b, _ = build("pubmedqa", tmp_path, raw=raw, engine="ray", shots=(0, 3))
    assert shard_bytes(a.out) == shard_bytes(b.out)
    assert a.manifest["stages"] == b.manifest["stages"]


def test_few_shot_demos_come_from_train_and_never_the_query(tmp_path):
    _, records = build("pubmedqa", tmp_path, shots=(3,), samples=2)
    examples = {(r["task"], r["input"]): r["split"] for r in records}
    assert records and all(len(r["shots"]) == 3 for r in records)
    for r in records:
        for shot in r["shots"]:
            assert shot["input"] != r["input"]
            assert examples[(r["task"], shot["input"])] == "train"
        prompt = r["messages"][0]["content"]
        assert prompt.index(r["shots"][-1]["input"]) < prompt.index(r["instruction"]) < prompt.rindex(r["input"])
    # two samples per example use two different instructions
    per_example: dict = {}
    for r in records:
        per_example.setdefault((r["task"], r["raw_ref"]), set()).add(r["instruction_id"])
    assert all(len(v) == 2 for v in per_example.values())


def test_shards_have_statistics_on_the_columns_readers_filter_by_and_none_on_text(tmp_path):
    import polars as pl

    result, records = build("pubmedqa", tmp_path)
    for shard in sorted((result.out / "data").glob("*.parquet")):
        meta = pq.ParquetFile(shard).metadata
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            stats = {group.column(c).path_in_schema: group.column(c).is_stats_set for c in range(group.num_columns)}
            assert all(stats[c] for c in ("id", "task", "source", "split", "instruction_id", "dedup"))
            assert not any(v for c, v in stats.items() if c.split(".")[0] in ("instruction", "input", "output",
                                                                                 "shots", "messages"))
    # A filter by task reads the same rows as the records hold.
    task = records[0]["task"]
    got = pl.scan_parquet(str(result.out / "data" / "*.parquet")).filter(pl.col("task") == task).select(pl.len())
    assert got.collect().item() == sum(r["task"] == task for r in records)


def test_shards_roll_over_at_the_target_size_and_read_back(tmp_path):
    raw = shared("pubmedqa")
    result, _ = build("pubmedqa", tmp_path, raw=raw, shard_mb=0.25)
    files = sorted((result.out / "data").glob("train-*.parquet"))
    assert len(files) > 1
    assert [f.name for f in files] == [f"train-{i:05d}-of-{len(files):05d}.parquet" for i in range(len(files))]
    import datasets
    import polars as pl

    ds = datasets.load_dataset("parquet", data_dir=str(result.out / "data"))
    assert ds["train"].num_rows + ds["test"].num_rows == result.records
    assert pl.scan_parquet(str(result.out / "data" / "*.parquet")).select(pl.len()).collect().item() == result.records
    assert all(pq.ParquetFile(f).metadata.num_row_groups >= 1 for f in files)


# -- bad input ---------------------------------------------------------------------------------------

def recipe_file(tmp_path: Path, body: str, name: str = "probe", pools: tuple[str, ...] = ("t",)) -> Path:
    folder = tmp_path / "recipes"
    (folder / "instructions").mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    for task in pools:
        (folder / "instructions" / f"{name}.{task}.yaml").write_text(
            f"task: {name}.{task}\nhuman:\n  - {{id: h01, text: Do the task.}}\n")
    return path


def test_truncated_json_keeps_good_items_and_rejects_the_rest(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    sample = (RECIPES / "samples" / "pubmedqa" / "ori_pqal.json").read_text()
    (raw / "ori_pqal.json").write_text(sample[: sample.index('"90000005"') + 30])
    result, records = build("pubmedqa", tmp_path, raw=raw)
    assert {r["raw_ref"] for r in records if r["task"] == "pubmedqa.answer"} == {
        f"ori_pqal.json#9000000{i}" for i in range(1, 5)}
    rejected = [json.loads(line) for line in (result.out / "rejects" / "read.jsonl").read_text().splitlines()]
    assert len(rejected) == 1 and rejected[0]["raw_ref"].startswith("ori_pqal.json:")
    assert "truncated JSON after member 4" in rejected[0]["reason"]
    assert result.manifest["stages"][0] == {"stage": "read", "in": 5, "out": 4,
                                            "dropped": {rejected[0]["reason"]: 1}}


PUBTATOR_RECIPE = """
    from medins import Recipe, readers
    recipe = Recipe(name="probe", domain="Academic Papers", license="CC0", access="open", files=["c.txt"])

    @recipe.reader
    def read(raw):
        yield from readers.pubtator(raw / "c.txt")

    recipe.task("t", category="Named Entity Recognition", input="{{ text }}",
                output="{{ entities | map(attribute='text') | entity_list }}")
"""


def test_bad_pubtator_line_is_rejected_with_file_and_line(tmp_path):
    path = recipe_file(tmp_path, PUBTATOR_RECIPE)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "c.txt").write_text(
        "1|t|Cough in asthma.\n1|a|x\n1\t9\t15\tasthma\tDisease\tD1\n\n"
        "2|t|Fever.\n2|a|y\n2\tnot-a-number\tDisease\n\n"
        "3|t|Gout.\n3|a|z\n3\t0\t4\tGout\tDisease\tD2\n")
    result = run(BuildConfig(recipes=[path], out=tmp_path / "out", raw=raw, engine="local", quiet=True))
    rejected = [json.loads(x) for x in (result.out / "rejects" / "read.jsonl").read_text().splitlines()]
    assert [(r["raw_ref"], r["reason"]) for r in rejected] == [
        ("c.txt:7", "unrecognised PubTator line (3 tab-separated fields)")]
    assert result.records == 2 and result.rejects == 1


CSV_RECIPE = """
    from medins import Recipe, readers
    recipe = Recipe(name="probe", domain="Medical Knowledge", license="CC0", access="open", files=["t.csv"])

    @recipe.reader
    def read(raw):
        yield from readers.csv_rows(raw / "t.csv")

    recipe.task("t", category="Question Answering", input="{{ q }}", output="{{ a }}")
"""


def test_csv_row_with_missing_column_and_strict_mode(tmp_path):
    path = recipe_file(tmp_path, CSV_RECIPE)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.csv").write_text("q,a\nWhat is gout?,A joint disease.\nWhat is fever\nWhat is asthma?,An airway disease.\n")
    result = run(BuildConfig(recipes=[path], out=tmp_path / "out", raw=raw, engine="local", quiet=True))
    assert result.records == 2 and result.rejects == 1
    line = json.loads((result.out / "rejects" / "read.jsonl").read_text())
    assert line["raw_ref"] == "t.csv:3" and line["reason"] == "expected 2 columns, found 1"
    with pytest.raises(BuildError, match="--strict: 1 rejected"):
        run(BuildConfig(recipes=[path], out=tmp_path / "strict", raw=raw, engine="local", quiet=True, strict=True))
    assert not (tmp_path / "strict").exists()


def test_nothing_readable_fails_and_keeps_the_previous_output(tmp_path):
    path = recipe_file(tmp_path, CSV_RECIPE)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.csv").write_text("q,a\nok?,yes\n")
    out = tmp_path / "out"
    run(BuildConfig(recipes=[path], out=out, raw=raw, engine="local", quiet=True))
    before = shard_bytes(out)
    (raw / "t.csv").write_text("q,a\nbroken\n")
    with pytest.raises(BuildError, match="no record could be built"):
        run(BuildConfig(recipes=[path], out=out, raw=raw, engine="local", quiet=True))
    assert shard_bytes(out) == before
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_template_errors_and_duplicates_are_counted_not_lost(tmp_path):
    path = recipe_file(tmp_path, CSV_RECIPE.replace('output="{{ a }}"', 'output="{{ a }}{{ b if a == \'boom\' else \'\' }}"'))
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.csv").write_text("q,a\nWhat is gout?,yes\nwhat is  GOUT,yes\nx?,boom\nWhat is fever?,\n")
    result = run(BuildConfig(recipes=[path], out=tmp_path / "out", raw=raw, engine="local", quiet=True))
    stages = {s["stage"]: s for s in result.manifest["stages"]}
    assert stages["make"]["dropped"] == {"task_error": 1}
    assert stages["quality"]["dropped"] == {"empty_output": 1}
    assert stages["dedup"]["dropped"] == {"duplicate_of": 1}
    assert result.records == 1 and result.rejects == 3
    make = json.loads((result.out / "rejects" / "make.jsonl").read_text())
    assert make["raw_ref"] == "t.csv:4" and "'b' is undefined" in make["reason"]
    dup = json.loads((result.out / "rejects" / "dedup.jsonl").read_text())
    assert dup["reason"].startswith("duplicate_of:")


def test_mis_encoded_file_keeps_rows_before_the_bad_byte(tmp_path):
    path = recipe_file(tmp_path, CSV_RECIPE)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.csv").write_bytes(b"q,a\nWhat is gout?,A joint disease.\nWhat is fever?,Heat\xe9\nLater?,x\n")
    result = run(BuildConfig(recipes=[path], out=tmp_path / "out", raw=raw, engine="local", quiet=True))
    assert result.records == 1 and result.rejects == 1
    line = json.loads((result.out / "rejects" / "read.jsonl").read_text())
    assert line["raw_ref"] == "t.csv:3" and line["reason"] == "not UTF-8 text; reading stopped"


def _plant(tmp_path: Path, planted: str) -> tuple[Path, Path]:
    """A probe recipe whose last train row is `planted`, beside the bundled PubMedQA sample."""
    path = recipe_file(tmp_path, CSV_RECIPE.replace('access="open"', 'access="open", test_fraction=0.0'))
    raw = tmp_path / "raw"
    (raw / "probe").mkdir(parents=True)
    (raw / "pubmedqa").mkdir()
    for f in (RECIPES / "samples" / "pubmedqa").iterdir():
        (raw / "pubmedqa" / f.name).write_bytes(f.read_bytes())
    import csv as csv_module
    with open(raw / "probe" / "t.csv", "w", newline="") as fh:
        w = csv_module.writer(fh)
        w.writerow(["q", "a"])
        for i in range(40):
            w.writerow([f"Unrelated question number {i} about gout?", "no"])
        w.writerow([planted, "no"])
    return path, raw


def test_a_test_context_sentence_inside_a_longer_train_text_is_caught_by_its_13_grams(tmp_path):
    """A PubMedQA test context, inside a text four times as long: MinHash misses it, 13-grams do not."""
    item = json.loads((RECIPES / "samples" / "pubmedqa" / "ori_pqal.json").read_text())["90000002"]
    sentence = " ".join(item["CONTEXTS"])
    assert len(sentence.split()) >= 13
    filler = " ".join(f"unrelated clinical word{i}" for i in range(3 * len(sentence.split())))
    path, raw = _plant(tmp_path, f"{filler} {sentence} {filler}")
    result = run(BuildConfig(recipes=[path, RECIPES / "pubmedqa.py"], out=tmp_path / "out", raw=raw,
                             engine="local", quiet=True))
    report = result.manifest["contamination"]["test:pubmedqa"]
    assert report["train_examples"] == 1 and report["examples"][0]["kind"] == "ngram13"


def test_planted_test_question_in_another_source_is_caught_and_reported(tmp_path, ray_session):
    """A PubMedQA test item copied into another source's train rows is dropped as contamination, on both
    engines (on Ray the index is built by a task and fetched once per worker)."""
    item = json.loads((RECIPES / "samples" / "pubmedqa" / "ori_pqal.json").read_text())["90000002"]  # test
    path, raw = _plant(tmp_path, "Context: " + " ".join(item["CONTEXTS"]) + "\nQuestion: " + item["QUESTION"])
    result = run(BuildConfig(recipes=[path, RECIPES / "pubmedqa.py"], out=tmp_path / "out", raw=raw,
                             engine="local", quiet=True))
    decon = [json.loads(x) for x in (result.out / "rejects" / "decontam.jsonl").read_text().splitlines()]
    assert [(d["source"], d["reason"], d["split"]) for d in decon] == [("probe", "contaminated:test:pubmedqa", "train")]
    report = result.manifest["contamination"]["test:pubmedqa"]
    assert report["train_examples"] == 1 and report["by_source"] == {"probe": 1}
    assert report["examples"][0]["kind"] in ("exact", "minhash")
    stages = {s["stage"]: s for s in result.manifest["stages"]}
    assert stages["decontam"]["dropped"] == {"contaminated:test:pubmedqa": 1}
    assert result.manifest["rejects"]["by_source"]["probe"] == {"decontam": 1}
    on_ray = run(BuildConfig(recipes=[path, RECIPES / "pubmedqa.py"], out=tmp_path / "ray", raw=raw,
                             engine="ray", quiet=True))
    assert on_ray.manifest["contamination"] == result.manifest["contamination"]
    assert on_ray.manifest["stages"] == result.manifest["stages"]
    assert shard_bytes(on_ray.out) == shard_bytes(result.out)


def test_near_duplicates_within_a_task_are_dropped_when_asked(tmp_path, ray_session):
    path = recipe_file(tmp_path, CSV_RECIPE)
    raw = tmp_path / "raw"
    raw.mkdir()
    base = ("A 54 year old man presents with sudden severe pain in the first metatarsophalangeal joint after "
            "a large meal and alcohol; the joint is red, hot and swollen and the serum urate is raised. What "
            "is the most likely diagnosis?")
    (raw / "t.csv").write_text("q,a\n" + f'"{base}",Gout\n' + f'"{base.replace("54", "55")}",Gout\n'
                               + f'"{base.replace("54", "56")}",Pseudogout\n')
    plain = run(BuildConfig(recipes=[path], out=tmp_path / "a", raw=raw, engine="local", quiet=True))
    assert plain.records == 3
    near = run(BuildConfig(recipes=[path], out=tmp_path / "b", raw=raw, engine="local", quiet=True,
                           options=Options(near_dup_threshold=0.8)))
    # the two with the same answer merge; the one with another answer stays
    assert near.records == 2
    stages = {s["stage"]: s for s in near.manifest["stages"]}
    assert stages["near_dedup"]["dropped"] == {"near_duplicate_of": 1}
    # the same groups, shuffled by Ray: the same drop and the same bytes
    on_ray = run(BuildConfig(recipes=[path], out=tmp_path / "c", raw=raw, engine="ray", quiet=True,
                             options=Options(near_dup_threshold=0.8)))
    assert on_ray.manifest["stages"] == near.manifest["stages"]
    assert shard_bytes(on_ray.out) == shard_bytes(near.out)


def test_a_recipe_read_in_parts_counts_every_file_once(tmp_path, ray_session):
    """PubMed files are read one per task; the build equals one read of the whole folder, on both engines."""
    from medins.recipe import load_recipe

    recipe = load_recipe(RECIPES / "pubmed_abstracts.py")
    raw = recipe.sample_dir
    parts = recipe.part_files(raw)
    assert len(parts) >= 2
    whole = [row for row in recipe.read(raw) if isinstance(row, dict)]
    assert sum(1 for part in parts for row in recipe.read(raw, part) if isinstance(row, dict)) == len(whole)
    a, records = build("pubmed_abstracts", tmp_path, engine="local")
    b, _ = build("pubmed_abstracts", tmp_path, engine="ray")
    read = next(s for s in a.manifest["stages"] if s["stage"] == "read")
    assert read["out"] == len(whole) and records
    assert shard_bytes(a.out) == shard_bytes(b.out)
    assert a.manifest["stages"] == b.manifest["stages"]


def test_an_item_in_two_sources_is_kept_once_in_the_better_licensed_one(tmp_path):
    """Exact dedup across recipes: a train copy in another source goes, a test example never does."""
    open_recipe = recipe_file(tmp_path, CSV_RECIPE.replace("CC0", "CC BY 4.0").replace("t.csv", "u.csv"))
    nc_recipe = recipe_file(tmp_path, CSV_RECIPE.replace('name="probe"', 'name="probe_nc"')
                            .replace("CC0", "CC BY-NC 4.0"), name="probe_nc")
    raw = tmp_path / "raw"
    for name, rows in (("probe", "u.csv"), ("probe_nc", "t.csv")):
        (raw / name).mkdir(parents=True)
        (raw / name / rows).write_text(
            "q,a,split\n"
            "What is the first-line drug for gout flares?,Colchicine or an NSAID,train\n"
            "Which crystal causes pseudogout?,Calcium pyrophosphate,test\n"
            f"A question only {name} holds?,Its answer,train\n")
    result = run(BuildConfig(recipes=[open_recipe, nc_recipe], out=tmp_path / "out", raw=raw, engine="local",
                             quiet=True))
    dedup = [json.loads(x) for x in (result.out / "rejects" / "dedup.jsonl").read_text().splitlines()]
    assert [(d["source"], d["split"], d["raw_ref"]) for d in dedup] == [("probe_nc", "train", "t.csv:2")]
    assert dedup[0]["reason"].startswith("duplicate_of:")
    records = [r for f in sorted((result.out / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    kept = {(r["source"], r["split"], r["input"]) for r in records}
    assert ("probe", "train", "What is the first-line drug for gout flares?") in kept
    # both test copies stay (the train-side check is decontamination's), and so do items only one source has
    assert {s for s, split, _ in kept if split == "test"} == {"probe", "probe_nc"}
    assert len(records) == 5


def test_a_catalog_build_reads_each_recipe_from_its_own_folder_only(tmp_path):
    """With --raw PARENT, a recipe without a folder there is skipped, not fed other sources' files."""
    globbing = recipe_file(tmp_path, CSV_RECIPE.replace('files=["t.csv"]', 'files=["**/*.csv"]'))
    other = recipe_file(tmp_path, CSV_RECIPE.replace('name="probe"', 'name="other"'), name="other")
    raw = tmp_path / "raw"
    (raw / "other").mkdir(parents=True)
    (raw / "other" / "t.csv").write_text("q,a\nWhat is gout?,A joint disease\n")
    result = run(BuildConfig(recipes=[globbing, other], out=tmp_path / "out", raw=raw, engine="local", quiet=True))
    assert [s["recipe"] for s in result.manifest["skipped_recipes"]] == ["probe"]
    assert result.records == 1


def test_near_duplicates_across_sources_keep_the_better_licensed_copy(tmp_path):
    base = ("A 54 year old man presents with sudden severe pain in the first metatarsophalangeal joint after "
            "a large meal and alcohol; the joint is red, hot and swollen and the serum urate is raised. What "
            "is the most likely diagnosis?")
    open_recipe = recipe_file(tmp_path, CSV_RECIPE.replace("CC0", "CC BY 4.0"))
    nc_recipe = recipe_file(tmp_path, CSV_RECIPE.replace('name="probe"', 'name="probe_nc"')
                            .replace("CC0", "CC BY-NC 4.0"), name="probe_nc")
    raw = tmp_path / "raw"
    rows = {"probe": [(base, "train")], "probe_nc": [(base.replace("54", "55"), "train"),
                                                     (base.replace("54", "56"), "test")]}
    for name, items in rows.items():
        (raw / name).mkdir(parents=True)
        (raw / name / "t.csv").write_text("q,a,split\n" + "".join(f'"{t}",Gout,{s}\n' for t, s in items))
    result = run(BuildConfig(recipes=[open_recipe, nc_recipe], out=tmp_path / "out", raw=raw, engine="local",
                             quiet=True, options=Options(near_dup_threshold=0.8)))
    near = [json.loads(x) for x in (result.out / "rejects" / "near_dedup.jsonl").read_text().splitlines()]
    # the NC train copy goes; its test copy stays (a test item is never dropped for another source's copy),
    # and decontamination then drops the kept train copy, a near match of that test item
    assert [(d["source"], d["split"]) for d in near] == [("probe_nc", "train")]
    decon = [json.loads(x) for x in (result.out / "rejects" / "decontam.jsonl").read_text().splitlines()]
    assert [(d["source"], d["split"], d["reason"]) for d in decon] == [("probe", "train", "contaminated:test:probe_nc")]
    assert result.records == 1


def test_a_large_build_reads_in_larger_tasks_and_gives_the_same_bytes(tmp_path, monkeypatch):
    """Past READ_TASKS_MAX tasks of READ_TASK_BYTES, read tasks grow so that merges keep few pieces."""
    import shutil

    from medins.engine import pipeline

    raw = tmp_path / "raw"
    raw.mkdir()
    sample = RECIPES / "samples" / "pubmed_abstracts" / "pubmed-39000001.xml"
    for i in range(12):  # the same citations in twelve files: dedup keeps one copy of each example
        shutil.copy(sample, raw / f"pubmed90n{i:04d}.xml")
    config = BuildConfig(recipes=[RECIPES / "pubmed_abstracts.py"], out=tmp_path / "a", raw=raw, engine="local",
                         quiet=True, card=False)
    monkeypatch.setattr(pipeline, "READ_TASK_BYTES", 1)
    assert len(pipeline.plan(config)[1]) == 12  # one file a task
    a = run(config)
    monkeypatch.setattr(pipeline, "READ_TASKS_MAX", 4)
    monkeypatch.setattr(pipeline, "READ_TASKS_MIN", 2)
    tasks = pipeline.plan(config)[1]
    assert len(tasks) == 4 and sorted(p for t in tasks for p in t.parts) == sorted(p.name for p in raw.iterdir())
    b = run(BuildConfig(**{**config.__dict__, "out": tmp_path / "b"}))
    assert shard_bytes(a.out) == shard_bytes(b.out)
    assert a.manifest["stages"] == b.manifest["stages"]
    tasks_a = {p.name: p.read_bytes() for p in (a.out / "tasks").iterdir()}
    assert tasks_a == {p.name: p.read_bytes() for p in (b.out / "tasks").iterdir()}
    # Runs in batches of two rows, merged three rows at a time, give the same bytes as 1,024-row batches.
    from medins.engine import runs

    assert runs.merge_batch_rows(4) == runs.RUN_ROWS_MAX
    monkeypatch.setattr(runs, "RUN_ROWS", 2)
    monkeypatch.setattr(runs, "RUN_ROWS_MAX", 2)
    monkeypatch.setattr(runs, "MERGE_BLOCK_ROWS", 3)
    c = run(BuildConfig(**{**config.__dict__, "out": tmp_path / "c"}))
    assert shard_bytes(a.out) == shard_bytes(c.out)
    assert tasks_a == {p.name: p.read_bytes() for p in (c.out / "tasks").iterdir()}


def test_written_messages_are_the_prompt_layout_of_each_record(tmp_path):
    """Records travel between steps without `messages`; the writer derives them, zero- and few-shot alike."""
    from medins import prompts

    _, records = build("pubmedqa", tmp_path, shots=(0, 2), samples=2)
    assert {len(r["shots"]) for r in records} == {0, 2}
    for r in records:
        shots = [(s["input"], s["output"]) for s in r["shots"]]
        assert r["messages"] == prompts.messages(r["instruction"], shots, r["input"], r["output"])
