"""The Ray engine on a real two-node cluster: a build submitted as a Ray job writes the same bytes as a
local build, also when the worker process running one of its tasks is killed.

Both nodes run on this machine (127.0.0.1, one CPU each). They are started with the `ray` command
line, as a user starts a cluster, each in a process session of its own, on ports and a temporary
folder of their own, so that the finaliser ends every process the cluster started and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import RECIPES, REPO
from tests.engine.test_resume import big_pubmedqa

RAY = Path(sys.executable).parent / "ray"
SAMPLES = RECIPES / "samples"

pytestmark = [
    pytest.mark.skipif(not RAY.exists(), reason=f"no `ray` command beside {sys.executable}"),
    pytest.mark.timeout(300),
]


def _free_ports(n: int) -> list[int]:
    """`n` distinct ports that nothing listens on now (held open together, so that none repeats)."""
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(n)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process visible in /proc."""
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError, ValueError):
            continue  # it ended meanwhile
        procs[int(entry)] = (ppid, cmdline)
    return procs


def _descendants(roots: list[int]) -> dict[int, str]:
    """pid -> command line of every live process below `roots`. Ray gives each worker and job driver a
    process group of its own, so the process tree, not the group, tells what a node started."""
    procs = _processes()
    found: dict[int, str] = {}
    frontier = set(roots)
    while frontier:
        frontier = {pid for pid, (ppid, _) in procs.items() if ppid in frontier and pid not in found}
        found.update({pid: procs[pid][1] for pid in frontier})
    return found


def _wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    """The first truthy value of `predicate()`, polled every `interval` seconds for `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Cluster:
    """A running head node and worker node, and the address of the head's job server."""

    dashboard: str
    env: dict[str, str]
    nodes: list[subprocess.Popen]

    def submit(self, *args: str) -> str:
        """Submit `medins <args>` with `ray job submit` and return the job's submission id."""
        job_id = f"medins-{uuid.uuid4().hex[:12]}"
        # The checkout under test comes first on the path of the driver and of every worker on both
        # nodes, whatever else the interpreter has installed; recipes are loaded from absolute paths.
        runtime_env = json.dumps({"env_vars": {"PYTHONPATH": str(REPO)}})
        subprocess.run([str(RAY), "job", "submit", "--address", self.dashboard, "--submission-id", job_id,
                        "--runtime-env-json", runtime_env, "--no-wait",
                        "--", sys.executable, "-m", "medins.cli", *args],
                       env=self.env, check=True, capture_output=True, timeout=60)
        return job_id

    def wait(self, job_id: str, timeout: float = 180) -> None:
        """Wait for the job to end; fail, with the tail of the job's log, unless it succeeded."""
        from ray.job_submission import JobStatus, JobSubmissionClient

        client = JobSubmissionClient(self.dashboard)
        status = _wait_for(lambda: (s := client.get_job_status(job_id)).is_terminal() and s, timeout,
                           f"job {job_id}", interval=0.5)
        assert status == JobStatus.SUCCEEDED, f"job {job_id} {status}:\n{client.get_job_logs(job_id)[-4000:]}"

    def tasks(self, job_id: str, **filters: str) -> list:
        """The job's tasks, one entry per attempt, as the cluster's state API records them."""
        from ray.job_submission import JobSubmissionClient
        from ray.util.state import list_tasks

        ray_job = JobSubmissionClient(self.dashboard).get_job_info(job_id).job_id
        preds = [("job_id", "=", ray_job), *((k, "=", v) for k, v in filters.items())]
        return list_tasks(address=self.dashboard, filters=preds, detail=True, limit=10_000)

    def workers_running(self, task_name: str) -> list[int]:
        """Pids of this cluster's worker processes executing a task named `task_name` right now
        (a Ray worker's process title is `ray::<task name>` while it runs the task)."""
        title = f"ray::{task_name}"
        return [pid for pid, cmd in _descendants([n.pid for n in self.nodes]).items()
                if cmd == title or cmd.startswith(title + " ")]


def _start_node(args: list[str], ports: list[int], env: dict[str, str], log: Path) -> subprocess.Popen:
    """`ray start --block` in a session of its own: the node lives as long as this process."""
    own_ports = [f"--dashboard-agent-listen-port={ports[0]}", f"--dashboard-agent-grpc-port={ports[1]}",
                 f"--metrics-export-port={ports[2]}", f"--runtime-env-agent-port={ports[3]}",
                 f"--node-manager-port={ports[4]}", f"--object-manager-port={ports[5]}",
                 "--min-worker-port=0", "--max-worker-port=0"]  # workers: any free port
    with open(log, "wb") as fh:
        return subprocess.Popen([str(RAY), "start", "--block", "--node-ip-address=127.0.0.1", "--num-cpus=1",
                                 "--object-store-memory=300000000", "--disable-usage-stats", *own_ports, *args],
                                env=env, cwd=REPO, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(nodes: list[subprocess.Popen]) -> None:
    """SIGKILL everything the nodes started (their process trees and groups), then the nodes."""
    for pid in _descendants([n.pid for n in nodes]):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for node in nodes:
        try:
            os.killpg(node.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        node.wait(timeout=30)


def _listening(port: int, head: subprocess.Popen, log: Path) -> bool:
    assert head.poll() is None, f"the head node exited:\n{log.read_text()[-4000:]}"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def _job_server_up(url: str, head: subprocess.Popen, log: Path) -> bool:
    assert head.poll() is None, f"the head node exited:\n{log.read_text()[-4000:]}"
    try:
        with urllib.request.urlopen(f"{url}/api/version", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def cluster():
    """A head node (GCS, dashboard and job server) and a worker node, one CPU each. The temporary
    folder has a short name: Ray's socket paths inside it must stay under the 107-byte limit."""
    from ray.util.state import list_nodes

    temp = Path(tempfile.mkdtemp(prefix="mr"))
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env.update(RAY_AUTH_MODE="disabled", RAY_USAGE_STATS_ENABLED="0")
    gcs, dashboard, client, *node_ports = _free_ports(15)
    url = f"http://127.0.0.1:{dashboard}"
    nodes: list[subprocess.Popen] = []
    try:
        nodes.append(_start_node(["--head", f"--port={gcs}", f"--temp-dir={temp}", "--include-dashboard=true",
                                  "--dashboard-host=127.0.0.1", f"--dashboard-port={dashboard}",
                                  f"--ray-client-server-port={client}"], node_ports[:6], env, temp / "head.log"))
        _wait_for(lambda: _listening(gcs, nodes[0], temp / "head.log"), 120, "the head's GCS")
        nodes.append(_start_node([f"--address=127.0.0.1:{gcs}"], node_ports[6:], env, temp / "worker.log"))
        _wait_for(lambda: _job_server_up(url, nodes[0], temp / "head.log"), 120, "the head's job server")
        _wait_for(lambda: nodes[1].poll() is not None
                  or len(list_nodes(address=url, filters=[("state", "=", "ALIVE")])) == 2,
                  120, "the worker node to join")
        assert nodes[1].poll() is None, f"the worker node exited:\n{(temp / 'worker.log').read_text()[-4000:]}"
        yield Cluster(url, env, nodes)
    finally:
        _stop(nodes)
        shutil.rmtree(temp, ignore_errors=True)


def _local_build(recipes: list[str], raw: Path, out: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "medins.cli", "build", *recipes, "--raw", str(raw),
                             "--out", str(out), "--engine", "local", "--quiet", *options],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(proc: subprocess.Popen) -> None:
    output, _ = proc.communicate(timeout=180)
    assert proc.returncode == 0, output[-4000:]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def assert_same_build(ray_out: Path, local_out: Path) -> None:
    """Byte-identical shards and task files, and manifests that agree on every count."""
    shards = _digests(ray_out / "data")
    assert shards and shards == _digests(local_out / "data")
    assert _digests(ray_out / "tasks") == _digests(local_out / "tasks")
    on_ray, local = (json.loads((o / "manifest.json").read_text()) for o in (ray_out, local_out))
    assert (on_ray["engine"], local["engine"]) == ("ray", "local")
    for key in ("stages", "splits", "tasks", "shards", "rejects"):
        assert on_ray[key] == local[key], key
    assert sum(on_ray["splits"].values()) > 0


def test_a_job_on_two_nodes_writes_the_bytes_of_a_local_build(cluster, tmp_path):
    recipes = [str(RECIPES / f"{name}.py") for name in ("pubmedqa", "mimic_iv_note", "bc5cdr")]
    local = _local_build(recipes, SAMPLES, tmp_path / "local", "--shots", "0,2")
    job = cluster.submit("build", *recipes, "--raw", str(SAMPLES), "--out", str(tmp_path / "ray"), "--quiet",
                         "--shots", "0,2")
    _finish(local)
    cluster.wait(job)
    assert_same_build(tmp_path / "ray", tmp_path / "local")

    # Three recipes are read by three one-CPU tasks on two one-CPU nodes: both nodes did part of the work.
    def nodes_used():
        return {t.node_id for t in cluster.tasks(job, type="NORMAL_TASK") if t.state == "FINISHED"}

    _wait_for(lambda: len(nodes_used()) == 2, 30, "finished tasks of the job on both nodes", interval=1)


def test_a_killed_worker_is_retried_and_the_bytes_do_not_change(cluster, tmp_path):
    raw = tmp_path / "raw"
    big_pubmedqa(raw, 6000)  # large enough that reading it keeps a worker busy for a good part of a second
    recipe = str(RECIPES / "pubmedqa.py")
    local = _local_build([recipe], raw, tmp_path / "local")
    job = cluster.submit("build", recipe, "--raw", str(raw), "--out", str(tmp_path / "ray"), "--quiet")
    victim = _wait_for(lambda: cluster.workers_running("medins.read"), 90, "a worker reading the recipe",
                       interval=0.02)[0]
    os.kill(victim, signal.SIGKILL)
    _finish(local)
    cluster.wait(job)
    assert_same_build(tmp_path / "ray", tmp_path / "local")

    def attempts():
        """The read task's attempts, once the state API holds a finished retry."""
        found = sorted(cluster.tasks(job, name="medins.read"), key=lambda t: t.attempt_number)
        return found if any(t.attempt_number > 0 and t.state == "FINISHED" for t in found) else []

    seen = _wait_for(attempts, 30, "the retried read task in the state API", interval=1)
    assert [(t.attempt_number, t.state, t.error_type) for t in seen] == [(0, "FAILED", "WORKER_DIED"),
                                                                         (1, "FINISHED", None)]
