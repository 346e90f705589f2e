"""What a shard's merge costs by fan-in, run batch size and merge block size.

A shard (or task-file window) is written from one piece of every read item's records run, merged by id
(`medins.engine.runs`). This bench cuts one shard's worth of records-like rows (the columns records
travel with between steps; seeded text of about the length of the PubMed bench's records) into F runs of
B-row batches, as F read items would leave them, then merges them as a shard task does, with merge blocks
of K rows. It prints the time per record to write the runs and to merge them, and the runs' bytes per
record. Warm page cache, one process, figures not pass/fail.

    python bench/merge.py
    python bench/merge.py --rows 120000 --fan-in 16 276 643 --batch-rows 64 1024 --block-rows 4096 16384
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pyarrow as pa

from medins.engine import runs, stages

WORDS = ("patients", "cohort", "trial", "outcome", "risk", "therapy", "dose", "serum", "marker", "clinical",
         "adverse", "baseline", "randomised", "placebo", "follow-up", "mortality", "incidence", "prevalence",
         "tumour", "renal", "cardiac", "hepatic", "infusion", "biopsy")


def records(n: int, seed: int = 0) -> pa.Table:
    """`n` rows of the rendered-records schema: hex ids, a few tasks, inputs of about 1 KB."""
    rng = random.Random(seed)

    def text(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words))

    tasks = [f"bench.task{i}" for i in range(4)]
    columns = {
        "id": [hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()[:32] for i in range(n)],
        "task": [tasks[i % 4] for i in range(n)],
        "category": ["Text Classification"] * n, "domain": ["Academic Papers"] * n, "source": ["bench"] * n,
        "license": ["CC0-1.0"] * n, "access": ["open"] * n, "split": ["train"] * n, "language": ["English"] * n,
        "instruction": [text(12) for _ in range(n)],
        "input": [text(rng.randint(80, 200)) for _ in range(n)],
        "output": [text(rng.randint(2, 12)) for _ in range(n)],
        "shots": [[] for _ in range(n)],
        "instruction_id": [f"h{i % 7}" for i in range(n)],
        "raw_ref": [f"bench.xml#{i}" for i in range(n)],
        "phi": [[] for _ in range(n)],
        "dedup": [None] * n,
    }
    return pa.table(columns, schema=stages.RENDERED_SCHEMA)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=120_000, help="Rows of the shard (a 256 MB shard holds about this many).")
    ap.add_argument("--fan-in", type=int, nargs="+", default=[16, 276, 643])
    ap.add_argument("--batch-rows", type=int, nargs="+", default=[64, 128, 1024])
    ap.add_argument("--block-rows", type=int, nargs="+", default=[4096, 16384])
    args = ap.parse_args()
    table = records(args.rows)
    print(f"merge benchmark: {args.rows:,} records-like rows, runs in lz4 Arrow IPC, warm page cache\n")
    print(f"{'fan-in':>6} {'batch rows':>10} {'block rows':>10} {'write us/rec':>12} {'merge us/rec':>12} "
          f"{'run bytes/rec':>13} {'held rows':>9}")
    for fan_in in args.fan_in:
        for batch in args.batch_rows:
            with tempfile.TemporaryDirectory() as tmp:
                per = -(-args.rows // fan_in)
                start = time.perf_counter()
                made = [runs.write_run(table.slice(i * per, per), Path(tmp) / f"run-{i}.arrow", group="split",
                                       id_column="id", rows_per_group=batch) for i in range(fan_in)]
                wrote = time.perf_counter() - start
                size = sum(Path(r.path).stat().st_size for r in made)
                pieces = [(r.path, 0, r.rows) for r in made if r.rows]
                for block in args.block_rows:
                    runs.MERGE_BLOCK_ROWS = block
                    start = time.perf_counter()
                    merged = sum(t.num_rows for t in runs.merge_pieces(pieces, stages.RENDERED_SCHEMA, "id", 1000))
                    took = time.perf_counter() - start
                    assert merged == args.rows
                    print(f"{fan_in:>6} {batch:>10} {block:>10} {wrote * 1e6 / args.rows:>12.1f} "
                          f"{took * 1e6 / args.rows:>12.1f} {size / args.rows:>13.0f} {fan_in * batch:>9,}", flush=True)


if __name__ == "__main__":
    main()
