"""Plugin parallel_reader: Markdown rendered in worker processes makes the same site, byte for
byte, as Markdown rendered in Pelican's own process; a worker's error reaches Pelican as the
error it is; workers render only a few files ahead, are forked while Pelican is one thread, and
end when Pelican ends."""

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from pelican.settings import read_settings

from benchmarks.bench import make_corpus
from plugins.parallel_reader.parallel_reader import AHEAD_PER_WORKER, Pool
from scripts.build import ROOT, pelican_command
from tests.conftest import article_markers, build_site, tree_digest
from tests.test_build_errors import broken_content

IN_PROCESS = ["-e", "READ_WORKERS=1"]
IN_WORKERS = ["-v", "-e", "READ_WORKERS=2", "READ_IN_PARALLEL_FROM=0"]


def rendered_by_workers(result):
    return "Markdown rendered on 2 processes" in " ".join((result.stdout + result.stderr).split())


def test_a_site_rendered_by_workers_is_byte_identical_to_one_rendered_in_process(tmp_path):
    in_process, in_workers = build_site(tmp_path / "a", extra=IN_PROCESS), build_site(tmp_path / "b", extra=IN_WORKERS)
    assert in_process.returncode == in_workers.returncode == 0
    assert rendered_by_workers(in_workers) and not rendered_by_workers(in_process)
    assert tree_digest(tmp_path / "b") == tree_digest(tmp_path / "a")


def test_a_content_error_reads_the_same_whoever_rendered_the_page(tmp_path):
    content = broken_content(tmp_path / "broken", article_markers()[0], "[^nosuchsource]")
    errors = [build_site(tmp_path / name, content=content, extra=extra)
              for name, extra in (("a", IN_PROCESS), ("b", IN_WORKERS))]
    assert [result.returncode for result in errors] == [1, 1]
    lines = [[line for line in result.stderr.splitlines() if line.startswith("error:")] for result in errors]
    assert lines[0] and lines[0] == lines[1] and "nosuchsource" in lines[0][0]


@pytest.fixture
def pool():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    pools = []

    def started(paths):
        pools.append(Pool(settings, 2))
        pools[-1].start(paths)
        return pools[-1]

    yield started
    for each in pools:
        each.close()


def test_a_file_a_worker_cannot_read_raises_its_own_error_where_pelican_asks_for_it(pool, tmp_path):
    missing = str(tmp_path / "missing.md")
    with pytest.raises(FileNotFoundError, match="missing.md"):
        pool([missing]).take(missing)


def test_workers_render_only_a_few_files_ahead_so_a_stopped_build_stops_at_once(pool, tmp_path):
    paths = [str(tmp_path / f"{number}.md") for number in range(50)]
    started = pool(paths)
    assert len(started.running) == 2 * AHEAD_PER_WORKER and len(started.queue) == 50 - 2 * AHEAD_PER_WORKER
    assert list(started.running) == paths[:2 * AHEAD_PER_WORKER]  # in the order Pelican reads them


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if entry.isdigit() and int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds worker processes through /proc")
def test_a_killed_build_leaves_no_worker_rendering_on(tmp_path):
    make_corpus(tmp_path / "content", 200)
    pelican = subprocess.Popen(pelican_command("pelicanconf.py", tmp_path / "output", tmp_path / "content",
                                               ["-e", "READ_WORKERS=2"]),
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    for _ in range(600):  # until the workers have started (at most a minute)
        workers = children(pelican.pid)
        if len(workers) >= 2 or pelican.poll() is not None:
            break
        time.sleep(0.1)
    pelican.send_signal(signal.SIGKILL)
    pelican.wait()
    assert len(workers) >= 2, "the build never started its workers"
    for _ in range(100):
        if not any(alive(worker) for worker in workers):
            break
        time.sleep(0.1)
    assert not any(alive(worker) for worker in workers)


FORK_WATCH = """
import os, sys, threading
threads_at_fork = []
os.register_at_fork(before=lambda: threads_at_fork.append(threading.active_count()))
sys.argv = ["pelican", *sys.argv[1:]]
from pelican import main
try:
    main()
finally:
    print("threads at each fork:", threads_at_fork, file=sys.stderr)
"""


def test_workers_are_forked_while_pelican_is_still_one_thread(tmp_path):
    # Pelican's progress display runs a thread; a fork beside it may copy a lock it holds.
    make_corpus(tmp_path / "content", 3)
    command = pelican_command("pelicanconf.py", tmp_path / "output", tmp_path / "content",
                              ["-e", "READ_WORKERS=2", "READ_IN_PARALLEL_FROM=0"])
    result = subprocess.run([sys.executable, "-c", FORK_WATCH, *command[3:]], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    counts = re.search(r"threads at each fork: \[([\d, ]*)\]", result.stderr)[1].split(", ")
    assert counts == ["1", "1"]
