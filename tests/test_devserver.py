"""Promise: the local servers survive mistakes. `make devserver` keeps serving the last good site
after a content error, keeps watching, and rebuilds once the file is fixed; `make serve` and
`make devserver` answer a missing file with the site's 404 page and keep serving, say in one line
that a port is busy, and stop quietly on Ctrl-C."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import FIRST_ARTICLE, FIRST_ARTICLE_SOURCE, ROOT, article_markers

ARTICLE = FIRST_ARTICLE_SOURCE


# The devserver, driven as a maintainer would.

def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def start_devserver(tmp_path):
    """(the devserver process, a copy of the content it watches, its output, port and log)."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    output, port = tmp_path / "output", free_port()
    log = tmp_path / "devserver.log"
    with open(log, "w") as log_file:
        command = [sys.executable, str(ROOT / "scripts" / "devserver.py"), "--watch", output, str(port), content]
        server = subprocess.Popen(command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
                                  env={**os.environ, "COLUMNS": "200"})
    return server, content, output, port, log


def test_devserver_survives_a_content_error_and_rebuilds_when_it_is_fixed(tmp_path):
    server, content, output, port, log = start_devserver(tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/{FIRST_ARTICLE}"
        assert wait_for(lambda: "Serving" in log.read_text()), log.read_text()
        good = fetch(url)
        citation, title = article_markers(content / ARTICLE)
        edit(content / ARTICLE, citation, "[^nosuchsource]")
        assert wait_for(lambda: "not rebuilt" in log.read_text()), log.read_text()
        assert re.search(rf"(?m)^error: content/{re.escape(ARTICLE)}:\d+: cites \[\^nosuchsource\]", log.read_text())
        assert fetch(url) == good, "the served site changed after a failed build"
        edit(content / ARTICLE, "[^nosuchsource]", citation)
        edit(content / ARTICLE, title, title + " (rebuilt)")
        assert wait_for(lambda: " (rebuilt)</h1>" in fetch(url)), log.read_text()
        assert server.poll() is None, "the devserver stopped"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_devserver_is_never_silently_stale(tmp_path):
    """It sees a save that keeps a file's size and time, ignores an editor's lock and swap files
    (which no longer stop a build), and builds the site again after `make clean` removed it."""
    server, content, output, port, log = start_devserver(tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/{FIRST_ARTICLE}"
        assert wait_for(lambda: "Serving" in log.read_text()), log.read_text()
        source = content / ARTICLE
        (source.parent / f".#{source.name}").symlink_to("editor@host.1234:1700000000")  # Emacs' lock
        (source.parent / f".{source.name}.swp").write_bytes(b"vim swap")
        _, title = article_markers(source)
        stat = source.stat()
        same_length = title[:-1] + ("q" if title[-1] != "q" else "z")  # one letter changed, whatever the title
        assert same_length != title and len(same_length) == len(title)
        edit(source, title, same_length)
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
        assert wait_for(lambda: f"{same_length.removeprefix('Title: ')}</h1>" in fetch(url)), log.read_text()
        assert "not rebuilt" not in log.read_text(), log.read_text()
        shutil.rmtree(output)  # what `make clean` does to the folder
        assert wait_for(lambda: (output / FIRST_ARTICLE).is_file()), log.read_text()
        assert server.poll() is None, "the devserver stopped"
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def start_make(target, tmp_path, port, log):
    with open(log, "w") as log_file:
        return subprocess.Popen(["make", "--no-print-directory", target, f"PORT={port}", f"OUTPUT={tmp_path / 'out'}"],
                                cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a maintainer stops it
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


@pytest.mark.parametrize("target", ["serve", "devserver"])
def test_the_servers_keep_serving_through_a_missing_file_and_stop_cleanly_on_ctrl_c(target, tmp_path):
    port, log = free_port(), tmp_path / "server.log"
    server = start_make(target, tmp_path, port, log)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(lambda: server.poll() is None and port_open(port)), log.read_text()
        assert fetch_status(base + "no-such-page.html") == 404
        assert fetch_status(base + FIRST_ARTICLE) == 200, log.read_text()
        assert server.poll() is None, f"make {target} stopped after a 404:\n{log.read_text()}"
    finally:
        stop(server)
    assert "Traceback" not in log.read_text()


@pytest.mark.parametrize("target", ["serve", "devserver"])
def test_a_busy_port_is_one_clear_line(target, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port, log = busy.getsockname()[1], tmp_path / "server.log"
        server = start_make(target, tmp_path, port, log)
        try:
            server.wait(timeout=120)
        finally:
            if server.poll() is None:
                stop(server)
    text = log.read_text()
    assert "Traceback" not in text
    suggested = re.search(rf"(?m)^error: cannot serve on port {port}: .*PORT=(\d+)$", text)
    assert server.returncode != 0 and suggested, text
    assert not port_open(int(suggested[1])), "the port it suggests is free"


@pytest.mark.parametrize("port", ["abc", "99999", "0", "-1"])
def test_a_port_that_is_not_one_is_one_clear_line(tmp_path, port):
    log = tmp_path / "server.log"
    server = start_make("serve", tmp_path, port, log)
    server.wait(timeout=120)
    text = log.read_text()
    assert "Traceback" not in text
    assert server.returncode != 0 and f"error: PORT '{port}' is not a port: give a whole number from 1 to 65535" in text


def port_open(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
