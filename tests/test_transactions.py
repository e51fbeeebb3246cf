"""Promise: no sequence of make targets, and no full disk, leaves a site or dist/ half written or
mixed. `make clean` takes each folder's build lock (so it waits for a running build) and leaves
nothing behind; `make offline` writes its three editions before any replaces its namesake."""

import errno
import importlib.util
import os
import subprocess
import time

import pytest
from conftest import ROOT

from scripts.build import SITE_MARKER, locked

# packaging/offline.py by its path: "packaging" is also the name of an installed library.
_spec = importlib.util.spec_from_file_location("offline", ROOT / "packaging" / "offline.py")
offline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(offline)


def make(target, **variables):
    return subprocess.Popen(["make", "--no-print-directory", target, *(f"{k}={v}" for k, v in variables.items())],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_make_clean_waits_for_a_build_and_leaves_nothing_behind(tmp_path):
    output, dist = tmp_path / "output", tmp_path / "dist"
    for folder in (output, dist):
        folder.mkdir()
        (folder / "index.html").write_text("a site")
        (folder / SITE_MARKER).write_text("built by make")
    (tmp_path / ".output.stage-123").mkdir()
    with locked(output):  # a build of output/ is running
        clean = make("clean", OUTPUT=output, PUBLISH_OUTPUT=tmp_path / "publish", DIST=dist)
        time.sleep(2)
        assert clean.poll() is None and (output / "index.html").exists(), "it waits while the build holds the lock"
    assert clean.wait(timeout=60) == 0, clean.stdout.read()
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "no site, staging folder or lock file is left"


def test_make_clean_removes_no_folder_make_did_not_build(tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "notes.txt").write_text("someone's notes")
    clean = make("clean", OUTPUT=documents, PUBLISH_OUTPUT=tmp_path / "publish", DIST=tmp_path / "dist")
    assert clean.wait(timeout=60) != 0
    assert [line for line in clean.stdout.read().splitlines() if line.startswith("error:")] == [
        f"error: not removing '{documents}': it holds files and no {SITE_MARKER}, so make did not build it: "
        "name the folder make built, or remove this one yourself"]
    assert (documents / "notes.txt").read_text() == "someone's notes"


def test_make_clean_and_a_build_leave_someone_s_folders_beside_the_site_alone(tmp_path):
    """Only our own staging folders (named by a process id) and a swapped-out site go."""
    (tmp_path / "output").mkdir()
    for name in (".output.old", ".output.stage-backup"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text("someone's notes")
    (tmp_path / ".output.stage-4242").mkdir()  # what a killed build left
    clean = make("clean", OUTPUT=tmp_path / "output", PUBLISH_OUTPUT=tmp_path / "publish", DIST=tmp_path / "dist")
    assert clean.wait(timeout=60) == 0, clean.stdout.read()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.old", ".output.stage-backup"]
    assert (tmp_path / ".output.old" / "notes.txt").read_text() == "someone's notes"


def test_a_build_waiting_on_a_lock_that_clean_removed_takes_the_new_one(tmp_path):
    folder = tmp_path / "output"
    with locked(folder) as lock:
        lock.unlink()  # as make clean does
    assert not (tmp_path / ".output.lock").exists()
    with locked(folder):
        assert (tmp_path / ".output.lock").exists()


@pytest.fixture
def old_editions(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in offline.WRITTEN:
        (dist / name).write_bytes(f"the old {name}".encode())
    return dist


def test_a_full_disk_during_make_offline_leaves_the_old_editions_whole(old_editions, monkeypatch, capsys):
    written = []

    def full_after_the_first(folder, data):
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(real_write(folder, data))
        return written[-1]

    real_write = offline.write_partial
    monkeypatch.setattr(offline, "write_partial", full_after_the_first)
    with pytest.raises(SystemExit) as stop:
        offline.main(str(old_editions))
    assert str(stop.value) == (f"error: DIST '{old_editions}': cannot write the editions (No space left on device); "
                               f"{old_editions}/ was left as it was.")
    assert {p.name: p.read_bytes() for p in old_editions.iterdir()} == {
        name: f"the old {name}".encode() for name in offline.WRITTEN}, "the old three, and no partial file"
