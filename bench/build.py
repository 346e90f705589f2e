"""Build throughput, peak memory and scaling.

Generates a synthetic PubMed baseline (`pubmed90nNNNN.xml`, 2,000 citations a file) from the bundled
PubMed sample: its article layouts with new PMIDs and seeded text drawn from the words of every bundled
sample (so that dedup and decontamination see no more duplicates than in a real corpus), and
builds it with the `pubmed_abstracts` recipe (four tasks, up to seven records a citation, zero-shot) in
a fresh process per run. The files are read in parallel, one read task per file. Prints records/s,
records/s per core, the peak memory of the build's whole process tree (the driver plus, on Ray, every
raylet and worker: the sum of their resident sets, so pages shared through Ray's object store count
once per process that maps them), the CPU seconds of its workers, its driver and Ray's own processes
(raylet, GCS, agents), the peak disk the build used beside its output (the file system's use
above what it was before the build, sampled with the memory) and the projected time of a 13.5M-record
(MedS-Ins scale) build. A Ray build also gives, from Ray's task timeline, the seconds its tasks ran by step
and the share of each step's span x CPUs that they ran (`task_spans`).

With `--ceiling`, a scaling run also measures what the machine gives work that needs no coordination:
at each CPU count k, k independent single-process (local engine) builds at once, each of an equal share
of the files of the same source. Their records over the slowest one's build time is the rate a perfectly
partitioned build would reach on k CPUs of this machine (shared caches, memory bandwidth, SMT siblings
and clock boost all count), printed beside the Ray build's rate.
Figures, not pass/fail.

    python bench/build.py                                   # 100k and 1M records, local engine
    python bench/build.py --records 100000 --engines local ray
    python bench/build.py --records 1000000 --engines ray --cpus 1 2 4 8 16 --json bench/results/scaling.json
    python bench/build.py --records 400000 --engines ray --cpus 1 2 4 8 16 --ceiling
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "recipes" / "samples" / "pubmed_abstracts"
RECIPE = REPO / "recipes" / "pubmed_abstracts.py"
MEDS_INS_RECORDS = 13_500_000
PER_FILE = 2_000
WORDS = ("patients cohort trial outcome risk therapy dose serum marker clinical adverse baseline "
         "randomised placebo follow-up mortality incidence prevalence").split()
_ARTICLE = re.compile(r"<PubmedArticle>.*?</PubmedArticle>", re.S)
_TITLE = re.compile(r"(<ArticleTitle>).*?(</ArticleTitle>)", re.S)
_SECTION = re.compile(r"(<AbstractText[^>]*>).*?(</AbstractText>)", re.S)


def _templates() -> list[str]:
    out = []
    for path in sorted(SAMPLE.iterdir()):
        text = gzip.open(path, "rt").read() if path.suffix == ".gz" else path.read_text()
        out += _ARTICLE.findall(text)
    return out


def _vocabulary() -> tuple[list[str], list[int]]:
    """Words of every bundled sample with their cumulative counts, to draw text with a natural spread."""
    counts: dict[str, int] = {}
    for path in (REPO / "recipes" / "samples").rglob("*"):
        if path.is_file():
            raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
            for word in re.findall(r"[A-Za-z][a-z]{2,}", raw.decode("utf-8", "ignore")):
                counts[word] = counts.get(word, 0) + 1
    words = sorted(counts)
    cumulative, total = [], 0
    for w in words:
        total += counts[w]
        cumulative.append(total)
    return words, cumulative


def make_source(folder: Path, citations: int, seed: int = 0, processes: int | None = None) -> None:
    """`citations` citations in files of PER_FILE: the sample's article layouts (MeSH, publication types,
    structured abstracts) with new PMIDs and new title and section text drawn from the samples' words,
    so that the corpus has no more near-duplicates than a real one. Files are generated in parallel,
    each from its own seed, so the source depends on `citations` and `seed` alone."""
    import multiprocessing

    starts = list(range(0, citations, PER_FILE))
    jobs = [(folder, start, min(start + PER_FILE, citations), seed) for start in starts]
    with multiprocessing.get_context("fork").Pool(processes or os.cpu_count()) as pool:
        pool.starmap(_make_file, jobs, chunksize=1)


_SHARED: dict = {}


def _make_file(folder: Path, start: int, stop: int, seed: int) -> None:
    if not _SHARED:
        templates = _templates()
        _SHARED.update(templates=templates, vocabulary=_vocabulary(),
                       pmids=[re.search(r"<PMID[^>]*>(\d+)</PMID>", t).group(1) for t in templates])
    templates, pmids = _SHARED["templates"], _SHARED["pmids"]
    words, cumulative = _SHARED["vocabulary"]
    rng = random.Random(f"{seed}-{start}")

    def text(lo: int, hi: int) -> str:
        drawn = rng.choices(words, cum_weights=cumulative, k=rng.randint(lo, hi))
        return drawn[0].capitalize() + " " + " ".join(drawn[1:]) + "."

    with open(folder / f"pubmed90n{start // PER_FILE + 1:04d}.xml", "w") as fh:
        fh.write('<?xml version="1.0" ?>\n<PubmedArticleSet>\n')
        for i in range(start, stop):
            article = templates[i % len(templates)].replace(pmids[i % len(templates)], str(40_000_000 + i))
            article = _TITLE.sub(lambda m: m.group(1) + text(8, 16) + m.group(2), article)
            article = _SECTION.sub(lambda m: m.group(1) + text(30, 70) + m.group(2), article)
            fh.write(article + "\n")
        fh.write("</PubmedArticleSet>\n")


def _role(pid: int, root: int) -> str:
    """What a process of a build's tree is: the driver (the build's own process), a Ray worker (its
    command line is `ray::<task or IDLE>`), or one of Ray's own processes (raylet, GCS, agents...)."""
    if pid == root:
        return "driver"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read(300)
    except OSError:
        return "ray"
    if cmd.startswith((b"ray::Dashboard", b"ray::RuntimeEnv")):
        return "ray"
    return "workers" if cmd.startswith(b"ray::") or b"default_worker.py" in cmd else "ray"


def _tree_sample(root: int, cpu: dict[int, tuple[str, float]]) -> float:
    """Resident memory (MB) of a process and all its descendants, from /proc; records each one's CPU
    seconds so far (user and system) and role in `cpu`."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    used: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            with open(f"/proc/{entry}/statm") as fh:
                pages = int(fh.read().split()[1])
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = pages
        used[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        if pid in used:
            # A worker's command line can read empty (as it exits): a process once seen as a worker stays one.
            role = "workers" if cpu.get(pid, ("",))[0] == "workers" else _role(pid, root)
            cpu[pid] = (role, used[pid])
        todo += children.get(pid, [])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def _build_code(raw: Path, out: Path, engine: str, cpus: int | None, shard_mb: float) -> str:
    """A child process's program: one build, timed from `run` (imports and Ray's start excluded)."""
    init = f"import ray; ray.init(num_cpus={cpus}, include_dashboard=False, log_to_driver=False)\n" if cpus else ""
    return (
        "import json, time; from pathlib import Path\n" + init +
        "from medins.engine import BuildConfig, Options, run\n"
        f"cfg = BuildConfig(recipes=[Path({str(RECIPE)!r})], out=Path({str(out)!r}), raw=Path({str(raw)!r}), "
        f"engine={engine!r}, quiet=True, card=False, shard_mb={shard_mb!r}, options=Options(shots=(0,)))\n"
        "t = time.perf_counter(); r = run(cfg); dt = time.perf_counter() - t\n"
        "out = {'records': r.records, 'seconds': dt, 'timings': r.manifest['timings_s']}\n"
        + ("try:\n    from bench.build import task_spans; out['tasks'] = task_spans(ray.timeline())\n"
           "except Exception as exc:\n    out['tasks_error'] = repr(exc)\n" if cpus else "") +
        "print(json.dumps(out))\n"
    )


def task_spans(events: list[dict]) -> dict[str, dict]:
    """Per step of a Ray build, from its task timeline (`ray.timeline()`): the tasks, the seconds they ran
    (summed over tasks) and the span from the first one's start to the last one's end.

    The seconds in tasks, beside the same build's on fewer CPUs, say how much slower each task ran when
    more ran at once (shared caches, memory bandwidth, clock); the seconds over span x CPUs say how much
    of the step's time the CPUs had a task to run (barriers, tails, a single task; a task counts as one
    CPU, also the index task, which sorts on several threads).
    """
    steps: dict[str, dict] = {}
    for e in events:
        cat = str(e.get("cat", ""))
        if not cat.startswith("task::medins."):
            continue
        name = cat.removeprefix("task::medins.")
        s = steps.setdefault(name, {"tasks": 0, "task_s": 0.0, "start": e["ts"], "end": e["ts"] + e["dur"]})
        s["tasks"] += 1
        s["task_s"] += e["dur"] / 1e6
        s["start"] = min(s["start"], e["ts"])
        s["end"] = max(s["end"], e["ts"] + e["dur"])
    order = sorted(steps, key=lambda k: steps[k]["start"])
    first = steps[order[0]]["start"] if order else 0
    return {k: {"tasks": steps[k]["tasks"], "task_s": round(steps[k]["task_s"], 2),
                "span_s": round((steps[k]["end"] - steps[k]["start"]) / 1e6, 2),
                "start_s": round((steps[k]["start"] - first) / 1e6, 2),
                "end_s": round((steps[k]["end"] - first) / 1e6, 2)} for k in order}


#: Steps whose tasks are submitted together (`Executor.map_steps`): their spans overlap, so the share of
#: the CPUs their tasks ran is told for them together too.
TOGETHER = ("shard", "task_part")


def _task_seconds(row: dict) -> float:
    return sum(v["task_s"] for v in row["tasks"].values())


def _together(spans: dict[str, dict], cpus: int) -> str:
    both = [spans[k] for k in TOGETHER if k in spans]
    if len(both) < 2:
        return ""
    joint = {"task_s": sum(v["task_s"] for v in both),
             "span_s": max(v["end_s"] for v in both) - min(v["start_s"] for v in both)}
    return f"; {' and '.join(TOGETHER)} together {_busy(joint, cpus):.0%}"


def _busy(step: dict, cpus: int) -> float:
    return step["task_s"] / (step["span_s"] * cpus) if step["span_s"] else 1.0


def run_independent(raw: Path, work: Path, k: int, shard_mb: float) -> dict:
    """k local builds at once, each of an equal share of the files of `raw` (every k-th file, linked into
    its own folder; the remainder of the division is left out): the records of all of them and the
    slowest one's time."""
    files = sorted(raw.glob("pubmed*.xml"))
    files = files[: len(files) // k * k]
    procs = []
    for i in range(k):
        part = work / f"part{i}"
        shutil.rmtree(part, ignore_errors=True)
        (part / "raw").mkdir(parents=True)
        for f in files[i::k]:
            (part / "raw" / f.name).symlink_to(f.resolve())
        code = _build_code(part / "raw", part / "out", "local", None, shard_mb)
        # Output to files, not pipes: a child that filled a pipe while another is waited for would stall.
        with open(part / "stdout", "w") as out, open(part / "stderr", "w") as err:
            procs.append(subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=err, cwd=REPO))
    results = []
    for i, proc in enumerate(procs):
        if proc.wait():
            raise SystemExit((work / f"part{i}" / "stderr").read_text()[-3000:])
        results.append(json.loads((work / f"part{i}" / "stdout").read_text().strip().splitlines()[-1]))
    shutil.rmtree(work, ignore_errors=True)
    return {"records": sum(r["records"] for r in results), "seconds": max(r["seconds"] for r in results),
            "files": len(files) // k}


def run_build(raw: Path, out: Path, engine: str, cpus: int | None, shard_mb: float = 256) -> dict:
    """One build in a child process: wall time, records, stage timings and the tree's peak RSS."""
    code = _build_code(raw, out, engine, cpus, shard_mb)
    base = shutil.disk_usage(out.parent).used
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO)
    peak = [0.0]
    disk = [0]
    cpu: dict[int, tuple[str, float]] = {}
    started = time.perf_counter()

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_sample(proc.pid, cpu))
            # The file system's use above what it was before the build: the work folder and the output
            # (anything else writing to the same disk meanwhile counts too).
            disk[0] = max(disk[0], shutil.disk_usage(out.parent).used - base)
            time.sleep(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    watcher.join()
    if proc.returncode:
        raise SystemExit(stderr[-3000:])
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = peak[0]
    result["peak_disk_mb"] = disk[0] / 2**20
    # CPU seconds by role over the build process's life (imports and Ray's start included), as last
    # sampled: what the CPUs did, beside what the wall time and the CPU count offered.
    result["cpu_s"] = {role: round(sum(t for r, t in cpu.values() if r == role), 1)
                       for role in ("driver", "workers", "ray")}
    result["life_s"] = round(time.perf_counter() - started, 1)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000],
                    help="Approximate records per build (citations are generated to match).")
    ap.add_argument("--engines", nargs="*", default=["local"],
                    help="local and/or ray; none, with --ceiling, runs the independent builds alone.")
    ap.add_argument("--cpus", type=int, nargs="+", default=None,
                    help="Ray only: start Ray with each of these CPU counts (a scaling run).")
    ap.add_argument("--json", type=Path, default=None, help="Also write the figures to this file.")
    ap.add_argument("--shard-mb", type=float, default=256,
                    help="Shard size target (the build's --shard-mb): shards are written in parallel, one per "
                         "worker, so a small build needs small shards to keep every CPU busy.")
    ap.add_argument("--raw", type=Path, default=None,
                    help="Keep the generated source here and reuse it when it is already there (one size only).")
    ap.add_argument("--ceiling", action="store_true",
                    help="With --cpus: also run, at each CPU count k, k independent local builds of 1/k of the "
                         "source's files at once (the rate of work that needs no coordination on this machine).")
    args = ap.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"medins build benchmark: synthetic PubMed baseline ({PER_FILE:,} citations a file), pubmed_abstracts "
          f"recipe, 4 tasks, zero-shot, {args.shard_mb:g} MB shards; {cores} cores on this machine\n")
    print(f"{'engine':<6} {'cpus':>4} {'citations':>9} {'records':>9} {'seconds':>8} {'rec/s':>8} {'rec/s/core':>10} "
          f"{'peak RSS MB':>11} {'peak disk MB':>12}   stage seconds")
    rows = []
    ceiling: list[dict] = []
    per_citation = 3.5  # records per citation of the sample layouts (measured); refined after each build
    for target in args.records:
        with tempfile.TemporaryDirectory() as tmp:
            raw = args.raw or Path(tmp) / "raw"
            citations = max(PER_FILE, int(target / per_citation))
            stamp = raw / ".citations"
            if not (stamp.exists() and stamp.read_text() == str(citations)):
                raw.mkdir(parents=True, exist_ok=True)
                for old in raw.glob("pubmed*.xml"):  # a source of another size: its extra files would stay
                    old.unlink()
                make_source(raw, citations)
                stamp.write_text(str(citations))
            for engine in args.engines:
                for cpus in (args.cpus if engine == "ray" and args.cpus else [None]):
                    r = run_build(raw, Path(tmp) / "out", engine, cpus, args.shard_mb)
                    per_citation = r["records"] / citations
                    used = 1 if engine == "local" else (cpus or cores)
                    rate = r["records"] / r["seconds"]
                    stages = " ".join(f"{k}={v:.1f}" for k, v in r["timings"].items() if k != "total")
                    print(f"{engine:<6} {used:>4} {citations:>9,} {r['records']:>9,} {r['seconds']:>8.1f} "
                          f"{rate:>8,.0f} {rate / used:>10,.0f} {r['peak_rss_mb']:>11,.0f} {r['peak_disk_mb']:>12,.0f}   "
                          f"{stages}", flush=True)
                    rows.append({"engine": engine, "cpus": used, "citations": citations, "records": r["records"],
                                 "seconds": round(r["seconds"], 2), "records_per_s": round(rate),
                                 "records_per_s_per_core": round(rate / used),
                                 "peak_rss_mb": round(r["peak_rss_mb"]), "peak_disk_mb": round(r["peak_disk_mb"]),
                                 "stages_s": r["timings"], "cpu_s": r["cpu_s"], "life_s": r["life_s"],
                                 "tasks": r.get("tasks")})
                    c = r["cpu_s"]
                    print(f"{'':<6} {'':>4}   CPU seconds over the process's {r['life_s']:.0f} s (x {used} CPUs = "
                          f"{r['life_s'] * used:.0f}): workers {c['workers']:.0f}, driver {c['driver']:.0f}, "
                          f"Ray's own processes {c['ray']:.0f}", flush=True)
                    if r.get("tasks_error"):
                        print(f"{'':<6} {'':>4}   task timeline not read: {r['tasks_error']}", flush=True)
                    if r.get("tasks"):
                        spans = r["tasks"]
                        print(f"{'':<6} {'':>4}   seconds in tasks {_task_seconds(r):.1f}, "
                              "by step (share of the step's span x CPUs that tasks ran): " +
                              ", ".join(f"{k} {v['task_s']:.1f} ({_busy(v, used):.0%})" for k, v in spans.items()) +
                              _together(spans, used), flush=True)
            if args.ceiling and args.cpus:
                for k in args.cpus:
                    r = run_independent(raw, Path(tmp) / "independent", k, args.shard_mb)
                    ceiling.append({"cpus": k, "records": r["records"], "seconds": round(r["seconds"], 2),
                                    "records_per_s": round(r["records"] / r["seconds"])})
                    print(f"{'indep':<6} {k:>4} {citations:>9,} {r['records']:>9,} {r['seconds']:>8.1f} "
                          f"{r['records'] / r['seconds']:>8,.0f} {r['records'] / r['seconds'] / k:>10,.0f}   "
                          f"({k} local builds at once, {r['files']} files each)", flush=True)
    print()
    for engine in args.engines:
        by_size = {}
        for row in rows:
            if row["engine"] == engine and row["cpus"] == max(x["cpus"] for x in rows if x["engine"] == engine):
                by_size[row["records"]] = row["peak_rss_mb"]
        if len(by_size) > 1:
            small, large = min(by_size), max(by_size)
            print(f"{engine}: peak RSS at {large:,} records is {by_size[large] / by_size[small]:.2f}x the peak at "
                  f"{small:,} (target for 1M vs 100k: <= 1.5x)")
    scaling = [r for r in rows if r["engine"] == "ray" and args.cpus]
    if ceiling and not scaling:
        print("\nindependent local builds (records/s relative to the fewest CPUs, same source):")
        for c in ceiling:
            print(f"  {c['cpus']:>3} CPUs  {c['records_per_s']:>9,} rec/s  "
                  f"{c['records_per_s'] / ceiling[0]['records_per_s']:5.2f}x")
    if scaling:
        base = {r["records"]: r["records_per_s"] for r in scaling if r["cpus"] == min(args.cpus)}
        work = {r["records"]: _task_seconds(r) for r in scaling if r["cpus"] == min(args.cpus) and r.get("tasks")}
        print("\nscaling (records/s relative to the fewest CPUs, same source):")
        indep = {c["cpus"]: c["records_per_s"] for c in ceiling}
        for r in scaling:
            line = f"  {r['cpus']:>3} CPUs  {r['records_per_s']:>9,} rec/s  {r['records_per_s'] / base[r['records']]:5.2f}x"
            if r.get("tasks") and work.get(r["records"]):
                line += f"   seconds in tasks {_task_seconds(r) / work[r['records']]:5.2f}x"
            if r["cpus"] in indep:
                line += (f"   independent builds {indep[r['cpus']]:>9,} rec/s  "
                         f"{indep[r['cpus']] / indep[min(indep)]:5.2f}x")
            print(line)
    if rows:
        last = rows[-1]
        print(f"\nprojection: a {MEDS_INS_RECORDS:,}-record build at the last measured rate "
              f"({last['records_per_s']:,} rec/s, {last['engine']}, {last['cpus']} CPU) takes "
              f"{MEDS_INS_RECORDS / last['records_per_s'] / 60:.0f} min (target: < 15 min on 2 cores)")
        print("target: >= 20,000 records/s per core end to end without PHI")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"cores": cores, "runs": rows, "independent": ceiling}, indent=2) + "\n")


if __name__ == "__main__":
    main()
