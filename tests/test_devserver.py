"""Promise: `make devserver` survives mistakes: it keeps serving the last good site after a
content error, keeps watching, and rebuilds once the file is fixed."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ARTICLE_PAGE, ARTICLE_SOURCE, ROOT, article_markers

ARTICLE = ARTICLE_SOURCE


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


def test_devserver_survives_a_content_error_and_rebuilds_when_it_is_fixed(tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    output, port = tmp_path / "output", free_port()
    log = tmp_path / "devserver.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "devserver.py"), str(output), str(port),
                                   str(content)], cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
                                  env={**os.environ, "COLUMNS": "200"})
    try:
        url = f"http://127.0.0.1:{port}/{ARTICLE_PAGE}"
        assert wait_for(lambda: "Serving" in log.read_text()), log.read_text()
        good = fetch(url)
        citation, title = article_markers(content / ARTICLE)
        edit(content / ARTICLE, citation, "[^nosuchsource]")
        assert wait_for(lambda: "not rebuilt" in log.read_text()), log.read_text()
        assert f"error: content/{ARTICLE}: cites [^nosuchsource]" in log.read_text()
        assert fetch(url) == good, "the served site changed after a failed build"
        edit(content / ARTICLE, "[^nosuchsource]", citation)
        edit(content / ARTICLE, title, title + " (rebuilt)")
        assert wait_for(lambda: " (rebuilt)</h1>" in fetch(url)), log.read_text()
        assert server.poll() is None, "the devserver stopped"
    finally:
        server.terminate()
        server.wait(timeout=10)
