"""`make serve` and `make devserver`: `python scripts/devserver.py [--watch] OUTPUT PORT [CONTENT]`.

Serves OUTPUT as GitHub Pages would (scripts/pages_server.py); with --watch, rebuilds it from
scratch (under a second here) as a transaction (scripts/build.py) whenever content, settings,
theme or plugins change, so after an error it serves the last good site and keeps watching.
Ours because Pelican's devserver stops rebuilding after an error and writes into what it serves.
"""

import argparse
import fnmatch
import hashlib
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pelicanconf import IGNORE_FILES  # noqa: E402
from scripts.build import ROOT, build, path_problem  # noqa: E402
from scripts.pages_server import start  # noqa: E402

POLL_SECONDS = 0.5


def snapshot(content, output):
    """What a rebuild reads, by content (a save that keeps size and time still changes it): each
    path and its bytes' hash, links and unreadable files included, as the build sees them; editors'
    lock, swap and backup files left out, as the build leaves them out; and whether the site is there."""
    paths = [*content.rglob("*"), *(ROOT / "theme").rglob("*"), *(ROOT / "plugins").rglob("*"), *ROOT.glob("*conf.py")]
    seen = {}
    for path in paths:
        if "__pycache__" in path.parts or any(fnmatch.fnmatch(path.name, g) for g in IGNORE_FILES) or path.is_dir():
            continue
        try:
            seen[path] = "link" if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:  # unreadable: the build will say so; a change back is still seen
            seen[path] = f"unreadable: {error.errno}"
    seen["site"] = (output / "index.html").is_file()
    return seen


def free_port():
    """A port nothing listens on now, for the busy-port line to suggest."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(output, port, content, watch):
    if problem := path_problem(output, content, site=True):  # each rebuild would refuse it: stop at once
        sys.exit(f"error: OUTPUT '{output}': {problem}")
    output, content = Path(output).absolute(), Path(content or ROOT / "content").absolute()
    if watch:
        build("pelicanconf.py", output, content)
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        sys.exit(f"error: PORT '{port}' is not a port: give a whole number from 1 to 65535, e.g. "
                 f"make {'devserver' if watch else 'serve'} PORT=8000")
    try:
        server = start(output, int(port))
    except OSError as error:
        sys.exit(f"error: cannot serve on port {port}: {error.strerror}. Stop what is using it, "
                 f"or choose another port: make {'devserver' if watch else 'serve'} PORT={free_port()}")
    print(f"Serving {output} on http://127.0.0.1:{server.server_address[1]}/"
          f"{' ; rebuilding on every change' if watch else ''} (Ctrl-C to stop)", flush=True)
    seen = snapshot(content, output)
    while True:
        time.sleep(POLL_SECONDS)
        if watch and snapshot(content, output) != seen:
            rebuilt = build("pelicanconf.py", output, content) == 0
            seen = snapshot(content, output)  # as the build left it: a change made during it counts next time
            print("rebuilt" if rebuilt else "not rebuilt: the site served is the last good one, not your newest "
                  "content (fix what the lines above name)", flush=True)


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
