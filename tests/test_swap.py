"""The output-folder swap under crashes: ``kill -9`` at each step of writing and swapping a
report folder never loses the previous report, and the next claim of the folder restores
or keeps it; a killed file write keeps the previous file and its temporary is cleared.
Children report readiness on a pipe (as in test_faults): no sleeps."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hallsim.cli import main
from hallsim.output import swap
from hallsim.output.location import claim, lock_path
from hallsim.output.outfiles import write_files

from .test_faults import SMALL, _env, _no_drawing, _read_lines

# The child: `hallsim run` that stops (announcing it on the pipe, then waiting to be
# killed) at one step of writing its report folder (or, "file-writing", a single file).
_STOP_AT = """
import os, shutil, signal, sys
from pathlib import Path
from hallsim.output import outfiles, plots
plots.render = lambda fig: (plots.plt.close(fig), plots.Picture(b"png"))[1]
ready, step = int(sys.argv[1]), sys.argv[2]

def stop():
    os.write(ready, b"stopped\\n")
    signal.pause()

real_write, writes = outfiles.write_bytes, []
def write_bytes(fd, data):
    writes.append(1)
    real_write(fd, data)
    if (step, len(writes)) in (("writing", 3), ("file-writing", 1)):
        stop()
outfiles.write_bytes = write_bytes

real_rename, renames = os.rename, []
def rename(src, dst):
    renames.append(dst)
    if step == "staged" and len(renames) == 1:
        stop()
    real_rename(src, dst)
    if (step, len(renames)) in (("backed-up", 1), ("swapped", 2)):
        stop()
os.rename = rename

real_rmtree = shutil.rmtree
def rmtree(path, *args, **kwargs):
    if step == "cleaning" and str(path).endswith(".old"):
        next(p for p in Path(path).rglob("*") if p.is_file()).unlink()
        stop()
    real_rmtree(path, *args, **kwargs)
shutil.rmtree = rmtree

from hallsim.cli import main
sys.exit(main(sys.argv[3:]))
"""

STEPS = {  # step -> the report the folder holds once the next claim has recovered it
    "writing": 1,      # half the new files staged
    "staged": 1,       # every new file staged, nothing renamed yet
    "backed-up": 1,    # the previous folder moved into its backup; the folder is missing
    "swapped": 2,      # the new folder in place; the backup not yet removed
    "cleaning": 2,     # the backup half removed
}


def _report_seed(folder: Path) -> int:
    """The seed of the report in ``folder``, after checking it is whole: exactly the files
    its manifest lists, each with the listed SHA-256."""
    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {p.name for p in folder.iterdir()} == {*doc["files"], "manifest.json"}
    for name, entry in doc["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"], name
    return doc["seed"]


def _run(out: Path, seed: int) -> list[str]:
    return ["run", str(SMALL), "--reps", "1", "--seed", str(seed), "--out", str(out)]


def _kill_at(step: str, argv: list[str]) -> None:
    """Run the CLI in a child that stops at ``step``, then kill -9 it."""
    read, write = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", _STOP_AT, str(write), step, *argv],
                             pass_fds=[write], stderr=subprocess.PIPE, env=_env())
    os.close(write)
    try:
        assert _read_lines(read, 1) == ["stopped"], step
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
    finally:
        os.close(read)
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_any_step_of_the_swap_loses_no_report(step, tmp_path, monkeypatch):
    """kill -9 at each step: a whole report survives (in the folder, or in its backup while
    the folder is missing); the next claim puts it back and clears every working folder; the
    next run then writes its own report."""
    _no_drawing(monkeypatch)
    out = tmp_path / "out"
    assert main(_run(out, 1)) == 0
    _kill_at(step, _run(out, 2))

    staged, backups = swap.leftovers(out)
    if out.exists():
        assert _report_seed(out) == STEPS[step]
    else:  # killed between the two renames: the previous report waits in its backup
        [backup] = backups
        assert _report_seed(backup / swap.BACKUP_ITEM) == 1
    with claim(out):
        assert _report_seed(out) == STEPS[step]
        assert swap.leftovers(out) == ([], [])
    assert main(_run(out, 3)) == 0
    assert _report_seed(out) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_kill_9_while_writing_a_file_keeps_it_and_the_next_run_clears_the_temporary(
        tmp_path, monkeypatch):
    """kill -9 halfway through writing --export-tickets: the previous log is intact, the
    temporary beside it is removed by the next run, which writes the log whole."""
    log = tmp_path / "log.csv"
    assert main(["run", str(SMALL), "--reps", "1", "--seed", "1", "--export-tickets",
                 str(log)]) == 0
    previous = log.read_bytes()
    _kill_at("file-writing", ["run", str(SMALL), "--reps", "2", "--seed", "2",
                              "--export-tickets", str(log)])
    assert log.read_bytes() == previous
    [temporary] = [p for p in tmp_path.iterdir() if p.name not in ("log.csv", ".log.csv.lock")]
    assert swap.is_working_path(temporary, log) and temporary.name.endswith(".tmp")
    assert main(["run", str(SMALL), "--reps", "2", "--seed", "2", "--export-tickets",
                 str(log)]) == 0
    assert log.read_bytes() != previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]


def test_a_run_that_fails_after_a_crash_still_restores_the_report(tmp_path, monkeypatch, capsys):
    """After kill -9 between the renames, a next run that fails in simulation deletes no
    backup: its claim has already put the previous report back."""
    _no_drawing(monkeypatch)
    out = tmp_path / "out"
    assert main(_run(out, 1)) == 0
    _kill_at("backed-up", _run(out, 2))
    assert not out.exists()
    monkeypatch.setattr("hallsim.runs.simulation.replicate",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("simulation failed")))
    assert main(_run(out, 3)) == 1
    assert "simulation failed" in capsys.readouterr().err
    assert _report_seed(out) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, OSError])
def test_interrupted_between_the_renames_the_previous_folder_goes_back(tmp_path, monkeypatch,
                                                                     interrupt):
    """Ctrl-C/SIGTERM (KeyboardInterrupt) or an OS error right after the previous folder
    moved into its backup: it is moved back at once, and nothing is left beside it."""
    out = tmp_path / "out"
    write_files(out, {"a.txt": "old\n"}, last="a.txt")
    real = os.rename

    def rename(src, dst):
        real(src, dst)
        if Path(dst).name == swap.BACKUP_ITEM:
            raise interrupt()

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(KeyboardInterrupt if interrupt is KeyboardInterrupt else Exception):
        write_files(out, {"a.txt": "new\n"}, last="a.txt")
    assert (out / "a.txt").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_recover_restores_the_newest_backup_and_clears_the_rest(tmp_path):
    """With the folder missing, the newest backup is restored; older and empty backups and
    staging folders are removed once a folder stands at the target."""
    out = tmp_path / "out"
    older, newer = tmp_path / ".out.aaaaaaaa.old", tmp_path / ".out.bbbbbbbb.old"
    for backup, text in ((older, "older"), (newer, "newer")):
        (backup / swap.BACKUP_ITEM).mkdir(parents=True)
        (backup / swap.BACKUP_ITEM / "a.txt").write_text(text)
    os.utime(older, ns=(10**18, 10**18))
    os.utime(newer, ns=(2 * 10**18, 2 * 10**18))
    (tmp_path / ".out.cccccccc.old").mkdir()
    (tmp_path / ".out.dddddddd.tmp" / "x").mkdir(parents=True)
    assert swap.recover(out) == newer
    assert (out / "a.txt").read_text() == "newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_backup_is_never_removed_while_no_folder_stands(tmp_path, monkeypatch, capsys):
    """If putting the backup back fails, the backup stays and the run stops with exit 2,
    naming the folder; once the rename works again, the next run restores it."""
    out = tmp_path / "out"
    backup = tmp_path / ".out.bbbbbbbb.old"
    (backup / swap.BACKUP_ITEM).mkdir(parents=True)
    (backup / swap.BACKUP_ITEM / "a.txt").write_text("the only copy")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    assert main(_run(out, 1)) == 2
    assert f"{out}: cannot restore the previous output: permission denied" in capsys.readouterr().err
    assert (backup / swap.BACKUP_ITEM / "a.txt").read_text() == "the only copy"
    assert not out.exists() and not lock_path(out).exists()
    monkeypatch.undo()
    with claim(out):
        assert (out / "a.txt").read_text() == "the only copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
