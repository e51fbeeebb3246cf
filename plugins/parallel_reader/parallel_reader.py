"""Render Markdown on every core. Pelican reads its files one at a time, and rendering the
Markdown is most of a build; this renders the files Pelican is about to read in worker
processes, a few ahead of it, and hands each result to Pelican's own reader when Pelican asks
for that file. Pelican's flow is unchanged: the same reader cache, signals, checks and error
lines, in the same order; only where the Markdown is rendered moves.

Settings: READ_WORKERS (processes; None for one per core this build may use) and
READ_IN_PARALLEL_FROM (fewer files to read than this, as in a devserver rebuild, and the main
process reads them: starting workers would cost more than it saves). On Linux; elsewhere
Pelican reads as it always does.

Ours because Pelican has no parallel reading, and no maintained plugin adds it.
"""

import ctypes
import logging
import multiprocessing
import os
import pickle
import resource
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

from pelican import signals
from pelican.readers import MarkdownReader

logger = logging.getLogger(__name__)
# Renders in flight per worker: enough to keep every core busy, few enough that a build which
# stops at a bad file stops at once (a stopping pool finishes what it was given).
AHEAD_PER_WORKER = 4


class Pool:
    """The worker processes, and the files they render, in the order Pelican will read them."""

    def __init__(self, settings, workers):
        self.settings = settings  # Pelican's settings: the plugins are still filling them in
        self.workers = workers
        self.queue = {}  # absolute paths not yet given to a worker, in order
        self.running = {}  # absolute path -> Future of (content, metadata, worker pid, its peak KiB)
        self.peaks = {}  # worker pid -> its peak memory in KiB
        self.pickled_settings = b""  # what the workers render with
        self.executor = ProcessPoolExecutor(workers, multiprocessing.get_context("fork"), initializer=die_with_parent)
        self.executor.submit(int)  # forks every worker now (see start_workers)

    def start(self, paths):
        # The settings as they are now, plugins' Markdown extensions included: the workers
        # were forked before the plugins had all set them up.
        self.pickled_settings = pickle.dumps(self.settings)
        self.queue = dict.fromkeys(paths)
        self.top_up()

    def top_up(self):
        while self.queue and len(self.running) < self.workers * AHEAD_PER_WORKER:
            path = next(iter(self.queue))
            del self.queue[path]
            self.running[path] = self.executor.submit(render, path, self.pickled_settings)

    def take(self, path):
        """The rendered (content, metadata) of `path`, or None if no worker has it."""
        self.queue.pop(path, None)
        future = self.running.pop(path, None)
        if future is None:
            return None
        try:
            content, metadata, pid, peak = future.result()
        except BaseException:
            self.close()
            raise
        self.peaks[pid] = peak
        self.top_up()
        return content, metadata

    def close(self):
        self.queue.clear()
        self.executor.shutdown(wait=True, cancel_futures=True)
        if self.peaks:
            logger.info("Markdown rendered on %d processes; their peak memory: %s MiB", len(self.peaks),
                        " + ".join(f"{kib / 1024:.0f}" for kib in self.peaks.values()))


planned = []  # absolute path of each file the generators will read, in their order
pool = None
worker_reader = None  # in a worker: (the pickled settings, a Markdown reader made with them)


def die_with_parent():
    """A worker ends when Pelican ends (Linux's PR_SET_PDEATHSIG), even if Pelican is killed."""
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if prctl is not None:
        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, signal.SIGKILL)


def render(path, settings):
    global worker_reader
    if worker_reader is None or worker_reader[0] != settings:
        worker_reader = (settings, MarkdownReader(pickle.loads(settings)))
    content, metadata = worker_reader[1].read(path)
    return content, metadata, os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker_count(settings):
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return settings.get("READ_WORKERS") or cores


def markdown_files(settings):
    for folder in (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]):
        for _, _, files in os.walk(os.path.join(settings["PATH"], folder)):
            yield from (name for name in files if name.rsplit(".", 1)[-1] in MarkdownReader.file_extensions)


def start_workers(pelican):
    """Fork the workers while Pelican is still one thread: once it runs, its progress display
    has a thread of its own, and a fork may copy a lock that thread holds. Linux only: macOS's
    system libraries may not survive a fork, and only Linux ends the workers with Pelican."""
    global pool
    finish_reading()
    settings = pelican.settings
    workers = worker_count(settings)
    enough = sum(1 for _ in markdown_files(settings)) >= settings.get("READ_IN_PARALLEL_FROM", 0)
    if sys.platform == "linux" and workers > 1 and enough:
        pool = Pool(settings, workers)


def start_pool():
    """At Pelican's first read, once every generator has said what it will read (a cached
    rebuild may have few files left to read)."""
    if len(planned) >= pool.settings.get("READ_IN_PARALLEL_FROM", 0):
        pool.start(planned)
    else:
        finish_reading()
    planned.clear()


class ParallelMarkdownReader(MarkdownReader):
    def read(self, source_path):
        if pool and planned:
            start_pool()
        rendered = pool.take(os.path.abspath(source_path)) if pool else None
        return rendered if rendered is not None else super().read(source_path)


def use_parallel_reader(readers):
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = ParallelMarkdownReader


def plan(generator, paths_setting, excludes_setting):
    """Note the Markdown files this generator will read, in its order, less those Pelican's
    content cache already holds."""
    settings = generator.settings
    if pool is None:
        return  # no workers: Pelican reads every file itself
    for path in generator.get_files(settings[paths_setting], exclude=settings[excludes_setting]):
        full = os.path.abspath(os.path.join(generator.path, path))
        if path.rsplit(".", 1)[-1] not in MarkdownReader.file_extensions:
            continue
        if generator.get_cached_data(path, None) is None and generator.readers.get_cached_data(full) is None:
            planned.append(full)


def plan_articles(generator):
    plan(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def plan_pages(generator):
    plan(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def finish_reading(*_):
    """Once every file is read (and before a new Pelican starts, for what a stopped one left)."""
    global pool
    planned.clear()
    if pool is not None:
        pool.close()
        pool = None


def register():
    signals.initialized.connect(start_workers)
    signals.readers_init.connect(use_parallel_reader)
    signals.article_generator_init.connect(plan_articles)
    signals.page_generator_init.connect(plan_pages)
    signals.all_generators_finalized.connect(finish_reading)
