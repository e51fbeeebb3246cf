"""Builds run as `make html` runs Pelican (scripts/build.py's command line, `python -m pelican ...
--fatal warnings`), each in a child forked from one process that has imported Pelican, its
libraries and our plugins: the same code, rules and messages, without an interpreter starting and
importing them all again for every build. Each build is a process of its own, so no plugin state
carries over from one build to the next, and an error ends it as it ends the real command.

For tests that run many builds (tests/test_bad_content.py); `make html` itself, with its lock,
staging folder and swap, is still run end to end by a few of them.

`python tests/pelican_in_process.py` is that process: it reads one build a line on stdin (JSON:
argv, log, env) and answers each with the build's exit status."""

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# How many frames deep `python -m pelican` calls pelican.main(): runpy's two, then pelican/__main__.py.
# A page nested too deeply for Markdown fails at a depth the error line names, so main() here
# starts exactly as deep.
PYTHON_M_DEPTH = 3
# What every build imports: Pelican, the libraries and Markdown extensions it uses, and our plugins
# (plugins/), which Pelican then takes from sys.modules. Imported, never run: each build starts
# from the state an import leaves, as a fresh process would.
PRELOAD = ["pelican", "pelican.generators", "pelican.readers", "pelican.writers", "pelican.plugins._utils",
           "markdown", *(f"markdown.extensions.{name}" for name in ("meta", "tables", "def_list", "attr_list",
                                                                    "md_in_html", "smarty", "abbr",
                                                                    "footnotes", "toc")),
           "jinja2", "lxml.html", "nh3", "rcssmin", "bs4",
           "content_rules", "page_structure", "minify_css", "accessible_tables.accessible_tables"]


def frames_deep():
    """How many frames the caller's frame is deep, itself included."""
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def pelican_main(argv, log, env):
    """In a forked child: what `python -m pelican ARGV` does, stdout and stderr both into `log`;
    returns the exit status Python would give."""
    os.chdir(ROOT)
    os.environ.update(env)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(output, 1)
    os.dup2(output, 2)
    import pelican

    sys.argv = [str(Path(pelican.__file__).with_name("__main__.py")), *argv]
    sys.setrecursionlimit(sys.getrecursionlimit() + frames_deep() - PYTHON_M_DEPTH)
    try:
        pelican.main()
        status = 0
    except SystemExit as stop:  # as the interpreter turns SystemExit into an exit status
        if stop.code is None or isinstance(stop.code, int):
            status = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            status = 1
    except BaseException:
        traceback.print_exc()
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return status


def serve_builds():
    """The forking process: one build a line on stdin, one exit status a line on stdout."""
    sys.path.insert(0, str(ROOT / "plugins"))  # as pelicanconf.py puts it, and Pelican's PLUGIN_PATHS
    for module in PRELOAD:
        __import__(module)
    for line in sys.stdin:
        request = json.loads(line)
        child = os.fork()
        if child == 0:
            os._exit(pelican_main(request["argv"], request["log"], request["env"]))
        _, wait_status = os.waitpid(child, 0)
        print(os.waitstatus_to_exitcode(wait_status), flush=True)


class Builder:
    """The forking process, started once: `with Builder() as builder: builder.build(...)`."""

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        cwd=ROOT, text=True)
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=60)

    def build(self, output, content, log, settings="pelicanconf.py", env=None):
        """Build `content` into `output` as `make html` runs Pelican; (exit status, what it printed)."""
        from scripts.build import LOG_COLUMNS, pelican_command

        argv = pelican_command(settings, output, content)[3:]  # what follows `python -m pelican`
        request = {"argv": argv, "log": str(log), "env": {"COLUMNS": LOG_COLUMNS, **(env or {})}}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        status = int(self.process.stdout.readline())
        return status, Path(log).read_text("utf-8", errors="replace")


if __name__ == "__main__":
    serve_builds()
