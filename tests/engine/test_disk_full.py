"""A build that runs out of disk fails with a clear error, leaves nothing but its checkpoints, and
`--resume` then ends with the same bytes as an uninterrupted build."""

import logging
import stat
from pathlib import Path

import pytest

from medins.engine import BuildConfig, BuildError, pipeline, run
from tests.conftest import RECIPES


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.json" and p.parent.name in ("data", "tasks", "rejects")}


@pytest.mark.skipif(not (Path("/dev/full").exists() and stat.S_ISCHR(Path("/dev/full").stat().st_mode)),
                    reason="no /dev/full device to make writes fail with ENOSPC")
@pytest.mark.parametrize("engine", ["local", "ray"])
def test_a_full_disk_fails_cleanly_and_resume_finishes(tmp_path, engine, request):
    if engine == "ray":
        request.getfixturevalue("ray_session")
    config = BuildConfig(recipes=[RECIPES / "pubmedqa.py"], out=tmp_path / "out", engine=engine, quiet=True,
                         card=False, resume=True)
    clean = run(BuildConfig(**{**config.__dict__, "out": tmp_path / "clean", "resume": False}))
    # The read task's checkpoint is written through a link to /dev/full, whose writes fail with ENOSPC.
    _, _, described, _ = pipeline.plan(config)
    work = tmp_path / ".out.work"
    work.mkdir()
    part = work / f"{described[0]['name']}-{pipeline._checkpoint_key(described[0], config.options)}.parquet.part"
    part.symlink_to("/dev/full")
    with pytest.raises(BuildError, match="out of disk space") as failed:
        run(config)
    assert str(work) in str(failed.value) and "--resume" in str(failed.value)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.tmp-*"))
    assert not (work / "spill").exists()  # the runs go; a resumed build makes them again
    part.unlink(missing_ok=True)  # space freed (the failed writer may have removed the link itself)
    resumed = run(config)
    assert _files(resumed.out) == _files(clean.out) and _files(clean.out)
    assert resumed.manifest["stages"] == clean.manifest["stages"]
    assert not work.exists()


def test_only_a_full_disk_or_quota_counts_as_out_of_disk():
    assert pipeline._out_of_disk(OSError(28, "No space left on device"))
    wrapped = RuntimeError("task failed")
    wrapped.__cause__ = OSError(122, "Disk quota exceeded")
    assert pipeline._out_of_disk(wrapped)
    assert not pipeline._out_of_disk(OSError(13, "Permission denied"))
    assert not pipeline._out_of_disk(ValueError("bad row"))


def test_a_disk_too_small_for_the_input_is_warned_about_before_the_build(tmp_path, monkeypatch, caplog):
    config = BuildConfig(recipes=[RECIPES / "pubmedqa.py"], out=tmp_path / "out", engine="local", quiet=True,
                         card=False)
    with caplog.at_level(logging.WARNING, logger="medins.engine"):
        run(config)
    assert not [r for r in caplog.records if "GiB free" in r.getMessage()]
    monkeypatch.setattr(pipeline, "DISK_PER_RAW_BYTE", 2**50)  # no disk is that large
    with caplog.at_level(logging.WARNING, logger="medins.engine"):
        run(config)
    assert [r for r in caplog.records if "GiB free" in r.getMessage()]
