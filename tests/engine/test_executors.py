"""What a worker keeps between tasks: a step's shared values, not the last step's."""

from __future__ import annotations

from medins.engine import executors


def test_a_worker_lets_go_of_the_last_steps_shared_values(monkeypatch) -> None:
    monkeypatch.setattr(executors, "_STEP", [None])
    seen = []

    def check(x):
        executors._FETCHED["index"] = object()  # what `resolve` leaves behind for the next check task
        seen.append(x)
        return x * 2

    assert executors.run_task("check", check, 1) == 2
    assert executors.run_task("check", lambda: len(executors._FETCHED)) == 1  # kept within the step
    assert executors.run_task("shard", lambda: len(executors._FETCHED)) == 0  # gone once it moves on
    assert seen == [1]


def test_release_memory_runs_between_tasks() -> None:
    executors.release_memory()  # no-op where the C library has no malloc_trim
    out = list(executors.LocalExecutor().map(executors.Step("double", lambda x: 2 * x), [(1,), (2,)]))
    assert out == [(0, 2), (1, 4)]


def test_map_steps_runs_several_steps_and_names_each_result(ray_session) -> None:
    double = executors.Step("double", lambda x, k: k * x)
    square = executors.Step("square", lambda x: x * x)
    jobs = [(double, [(1,), (2,), (3,)], {"k": 2}), (square, [(4,), (5,)], {})]
    expected = [(0, 0, 2), (0, 1, 4), (0, 2, 6), (1, 0, 16), (1, 1, 25)]
    assert list(executors.LocalExecutor().map_steps(jobs)) == expected
    assert sorted(executors.RayExecutor().map_steps(jobs)) == expected
