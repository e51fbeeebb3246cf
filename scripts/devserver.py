"""`make serve` and `make devserver`: `python scripts/devserver.py [--watch] OUTPUT PORT [CONTENT]`.

Serves OUTPUT as GitHub Pages would (scripts/pages_server.py); with --watch, rebuilds it as a
transaction (scripts/build.py) whenever what a build reads changes, so after an error it serves the
last good site and keeps watching. Ours because Pelican's devserver stops rebuilding after an error
and writes into what it serves.
"""

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


def snapshot(content, output):
    """What a rebuild reads, by each file's bytes (a save may keep size and time), as the build sees
    it (editors' lock and swap files left out, links and unreadable files in); and whether the site is there."""
    paths = [*content.rglob("*"), *(ROOT / "theme").rglob("*"), *(ROOT / "plugins").rglob("*"), *ROOT.glob("*conf.py")]
    seen = {"site": (output / "index.html").is_file()}
    for path in paths:
        if "__pycache__" in path.parts or any(fnmatch.fnmatch(path.name, g) for g in IGNORE_FILES) or path.is_dir():
            continue
        try:
            seen[path] = "link" if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:  # the build will say so; a change back is still seen
            seen[path] = f"unreadable: {error.errno}"
    return seen


def main(output, port, content=None, watch=False):
    if problem := path_problem(output, content, site=True):  # each rebuild would refuse it: stop at once
        sys.exit(f"error: OUTPUT '{output}': {problem}")
    output, content = Path(output).absolute(), Path(content or ROOT / "content").absolute()
    if watch:
        build("pelicanconf.py", output, content)
    again = f"make {'devserver' if watch else 'serve'} PORT="
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        sys.exit(f"error: PORT '{port}' is not a port: give a whole number from 1 to 65535, e.g. {again}8000")
    try:
        server = start(output, int(port))
    except OSError as error:
        with socket.socket() as probe:  # a port nothing listens on now, to suggest
            probe.bind(("127.0.0.1", 0))
            sys.exit(f"error: cannot serve on port {port}: {error.strerror}. Stop what is using it, "
                     f"or choose another port: {again}{probe.getsockname()[1]}")
    print(f"Serving {output} on http://127.0.0.1:{server.server_address[1]}/"
          f"{' ; rebuilding on every change' if watch else ''} (Ctrl-C to stop)", flush=True)
    seen = snapshot(content, output) if watch else None  # make serve watches nothing
    while True:
        time.sleep(0.5)
        if watch and snapshot(content, output) != seen:
            rebuilt = build("pelicanconf.py", output, content) == 0
            seen = snapshot(content, output)  # as the build left it: a change made during it counts next time
            print("rebuilt" if rebuilt else "not rebuilt: the site served is the last good one, not your newest "
                  "content (fix what the lines above name)", flush=True)


if __name__ == "__main__":
    watch = sys.argv[1:2] == ["--watch"]
    if len(sys.argv) - watch not in (3, 4):
        sys.exit("usage: python scripts/devserver.py [--watch] OUTPUT PORT [CONTENT]")
    try:
        main(*sys.argv[1 + watch:], watch=watch)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
