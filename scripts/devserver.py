"""`make serve` and `make devserver`: serve OUTPUT on 127.0.0.1:PORT as GitHub Pages would
(scripts/pages_server.py), and with --watch rebuild it whenever the content, settings, theme or
plugins change. `python scripts/devserver.py [--watch] OUTPUT PORT [CONTENT]`

Each rebuild is a whole build from scratch (under a second at this site's size, so no cache to
keep right) and a transaction (scripts/build.py): a content error prints its one line and the
site being served stays the last good one; the watcher keeps watching, and fixing the file
rebuilds it. A missing file is a 404, a busy port one line, Ctrl-C a quiet stop.

Ours because Pelican's own devserver stops rebuilding after an error and writes straight into
the folder it serves.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.build import ROOT, build, output_problem  # noqa: E402
from scripts.pages_server import start  # noqa: E402

POLL_SECONDS = 0.5


def watched_files(content):
    for folder in (content, ROOT / "theme", ROOT / "plugins"):
        yield from (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    yield from ROOT.glob("*conf.py")


def snapshot(content):
    """What changed files look like: their names, sizes and modification times."""
    return {path: (stat.st_size, stat.st_mtime_ns) for path in watched_files(content)
            if (stat := path.stat())}


def main(output, port, content, watch):
    if problem := output_problem(output, content):  # each rebuild would refuse it: stop at once
        sys.exit(f"error: OUTPUT '{output}': {problem}")
    output, content = Path(output).absolute(), Path(content or ROOT / "content").absolute()
    if watch:
        build("pelicanconf.py", output, content)
    try:
        server = start(output, int(port))
    except OSError as error:
        sys.exit(f"error: cannot serve on port {port}: {error.strerror}. Stop what is using it, "
                 f"or choose another port: make {'devserver' if watch else 'serve'} PORT={int(port) + 1}")
    print(f"Serving {output} on http://127.0.0.1:{server.server_address[1]}/"
          f"{' ; rebuilding on every change' if watch else ''} (Ctrl-C to stop)", flush=True)
    seen = snapshot(content)
    while True:
        time.sleep(POLL_SECONDS)
        now = snapshot(content) if watch else seen
        if now != seen:
            seen = now
            status = build("pelicanconf.py", output, content)
            print("rebuilt" if status == 0 else "not rebuilt: the site served is the last good one", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watch", action="store_true", help="rebuild on every change")
    parser.add_argument("output")
    parser.add_argument("port")
    parser.add_argument("content", nargs="?")
    args = parser.parse_args()
    try:
        main(args.output, args.port, args.content, args.watch)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
