"""`make devserver`: serve OUTPUT on 127.0.0.1:PORT and rebuild it whenever the content,
settings, theme or plugins change. `python scripts/devserver.py OUTPUT PORT [CONTENT]`

Each rebuild is a whole build from scratch (under a second at this site's size, so no cache to
keep right) and a transaction (scripts/build.py): a content error prints its one line and the
site being served stays the last good one; the watcher keeps watching, and fixing the file
rebuilds it.

Ours because Pelican's own devserver stops rebuilding after an error and writes straight into
the folder it serves.
"""

import functools
import http.server
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.build import ROOT, build  # noqa: E402

POLL_SECONDS = 0.5


def watched_files(content):
    for folder in (content, ROOT / "theme", ROOT / "plugins"):
        yield from (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    yield from ROOT.glob("*conf.py")


def snapshot(content):
    """What changed files look like: their names, sizes and modification times."""
    return {path: (stat.st_size, stat.st_mtime_ns) for path in watched_files(content)
            if (stat := path.stat())}


def serve(output, port):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    handler.log_message = lambda *args: None  # one line per request is noise beside the build's
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(output, port, content=None):
    output, content = Path(output).absolute(), Path(content or ROOT / "content").absolute()
    build("pelicanconf.py", output, content)
    server = serve(output, int(port))
    print(f"Serving {output} on http://127.0.0.1:{server.server_address[1]}/ ; "
          "rebuilding on every change (Ctrl-C to stop)", flush=True)
    seen = snapshot(content)
    while True:
        time.sleep(POLL_SECONDS)
        now = snapshot(content)
        if now != seen:
            seen = now
            status = build("pelicanconf.py", output, content)
            print("rebuilt" if status == 0 else "not rebuilt: the site served is the last good one", flush=True)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python scripts/devserver.py OUTPUT PORT [CONTENT]")
    try:
        main(*sys.argv[1:])
    except KeyboardInterrupt:
        pass
