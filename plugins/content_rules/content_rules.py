"""Content rules Pelican does not enforce itself, checked in every build, so `make html` tells
an editor: one line a problem, "error: content/x.md:42: problem" (the line wherever it can be
found), and the build stops before anything is written. It stops with SystemExit, not a logged
error, since Pelican prints a traceback after any fatal log message; any warning Pelican logs
becomes such a line too.

- At start-up: the shared references and abbreviations (shared_files.py), handed to the
  Markdown extension that pulls them into every page (shared_references.py).
- Before Pelican reads the files: what is in content/, each file's encoding and characters, its
  metadata against CONTENT_SCHEMA (pelicanconf.py), and the door: no markup but Markdown and
  the site's boxes, citations found in the shared references and no definition written in a
  page (sources.py).
- As each page is rendered: the URL policy and the sanitizer's backstop (html_policy.py), links
  to files and sections that exist, heading levels and no two alike, tables that rendered, and
  no invisible character however it was written.
- Once all pages are read: links into other pages' sections, no two files at one address, and
  each statement against its evidence records, which also hold that every fact cites (evidence.py).

A page past its Next_review gets `review_overdue`, which the theme shows, and one "notice:" line.
"""

import datetime
import logging
import os
import re
import signal
import sys
import tomllib
import traceback
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

import jinja2
import lxml.etree
import lxml.html
from pelican import signals
from pelican.contents import Article, Page
from pelican.readers import MarkdownReader

from . import evidence, shared_references, sources
from .html_policy import INTRASITE, addresses_off_the_list, html_problems, icon_numbers, parse
from .shared_files import read_shared_files
from .shared_references import WORD_JOINER

# The theme's template files (TEMPLATE_EXTENSIONS and the EPUB's): a traceback frame in one is a template's.
TEMPLATE_FILES = (".html", ".txt", ".xml", ".xhtml", ".opf", ".css")

problems = []  # (file, line or 0, problem), reported together, by file and line
LINE_PREFIX = re.compile(r"line (\d+): ")  # how sources.py and shared_files.py give a line
WORD = re.compile(r"\w+")
# (linking file, target file, fragment) of each link into another page, checked once all are read.
fragment_links = []
content_parent = Path.cwd()  # paths are shown from here: "content/pages/x.md"


def one_line(text):
    """Control characters (a line break in a file name, say) shown escaped: one problem, one line."""
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in str(text))


def text_of(element):
    """An element's words as a reader sees them: spaces collapsed, no word joiner."""
    return " ".join("".join(element.itertext()).replace(WORD_JOINER, "").split())


def shown(path):
    return one_line(os.path.relpath(path, content_parent))


def source_line(path, needle):
    """The line of a page's source (after its metadata) where `needle` first appears: as written
    (a piece of Markdown), else as the page's words (its first six, in order, across lines).
    None where it cannot be found."""
    try:
        text = Path(path).read_text("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeError):
        return None
    lines = text.split("\n")
    start = len(lines) - len(sources.parse_metadata(text)[1])
    for number, line in enumerate(lines[start:], start + 1):
        if needle in line:
            return number
    words = WORD.findall(needle.casefold())[:6]
    tokens = [(number, word) for number, line in enumerate(lines[start:], start + 1)
              for word in WORD.findall(line.casefold())]
    for index in range(len(tokens) - len(words) + 1) if words else ():
        if [word for _, word in tokens[index:index + len(words)]] == words:
            return tokens[index][0]
    return None


def report(path, problem, needle=None):
    """Add a problem of a file; `needle` finds its line (source_line)."""
    problem = one_line(problem)
    if numbered := LINE_PREFIX.match(problem):
        line, problem = numbered[1], problem[numbered.end():]
    else:
        line = needle and source_line(path, needle)
    problems.append((shown(path), int(line or 0), problem))


def stop_if_problems(sender=None):
    """Stop the build with every problem found so far (Pelican's signals pass a sender)."""
    if problems:
        found = [f"{path}{f':{line}' if line else ''}: {problem}" for path, line, problem in sorted(set(problems))]
        problems.clear()
        fragment_links.clear()  # a stopped build keeps nothing for the next (pelican --autoreload)
        raise SystemExit("\n".join(f"error: {line}" for line in found)
                         + f"\nThe build stopped: {len(found)} content problem(s). Nothing was written.")


def build_date(settings):
    """Today, or the day BUILD_DATE in the settings names."""
    return datetime.date.fromisoformat(settings["BUILD_DATE"])


class ContentProblem(Exception):
    """A problem found while Pelican reads a file: reported as that file's one line."""

    def __init__(self, path, problem):
        super().__init__(f"{shown(path)}: {one_line(problem)}")


class BoundedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, bounded: Python-Markdown can take hours over a few kilobytes of
    pathological text ("*[" written 20,000 times), and recurses as deep as the text nests."""

    def read(self, source_path):
        seconds = self.settings["MAX_RENDER_SECONDS"]

        def too_slow(signum, frame):
            raise ContentProblem(source_path, f"took more than {seconds} s to render: look for a run of "
                                 "unmatched brackets or asterisks, or split the page")

        previous = signal.signal(signal.SIGALRM, too_slow)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return super().read(source_path)
        except RecursionError:
            raise ContentProblem(source_path, "is nested too deeply to render (lists or quotes inside each "
                                 "other): flatten it") from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def use_bounded_reader(readers):
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = BoundedMarkdownReader


class OneLineErrors(logging.Handler):
    """While a build runs, any warning Pelican logs stops it as one 'error:' line, before Pelican
    prints a traceback; outside one (`pelican --listen` logs 404s as warnings) it does nothing."""

    building = False

    def __init__(self):
        super().__init__(logging.WARNING)

    def emit(self, record):
        if not OneLineErrors.building or record.name.startswith("pelican.server"):
            return
        # Paths from content/, as every other line names them.
        message = " ".join(record.getMessage().replace(f"{content_parent}{os.sep}", "").split())
        error = sys.exc_info()[1]  # Pelican's "Could not process x.md" leaves out why
        if isinstance(error, ContentProblem):
            message = str(error)
        elif error is not None and str(error) not in message:
            message += f": {type(error).__name__}: {' '.join(str(error).split())}"
        if error is not None and (place := template_place(error)):
            message = f"{place}: {message}"
        raise SystemExit(f"error: {message}\nThe build stopped.")


def template_place(error):
    """'theme/templates/x.html:9' for an error in a template (Pelican's message names none), or
    None: a syntax error's own place, else the last template frame of its traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        place = (error.filename, error.lineno)
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(TEMPLATE_FILES)]
        place = (frames[-1].filename, frames[-1].lineno) if frames else None
    if place is None:
        return None
    path = Path(place[0])
    return f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}:{place[1]}"


def build_started(pelican):
    """A build starts from nothing: a build that stopped (pelican --autoreload runs the next one in
    the same process) leaves no problem or link behind for the next to report."""
    OneLineErrors.building = True
    fragment_links.clear()
    problems.clear()


def build_finished(pelican):
    OneLineErrors.building = False


# At start-up.

def check_shared_files(pelican):
    global content_parent
    settings = pelican.settings
    content_parent = Path(settings["PATH"]).resolve().parent
    root_logger = logging.getLogger()
    if not any(isinstance(h, OneLineErrors) for h in root_logger.handlers):
        root_logger.handlers.insert(0, OneLineErrors())
    files = read_shared_files(settings)
    for path, problem in files.problems:
        report(path, problem)
    stop_if_problems()
    shared_references.shared = files


# Before Pelican reads the files.

def check_sources(pelican):
    settings = pelican.settings
    for path, problem in [*sources.tree_problems(settings), *sources.theme_problems(settings["THEME"])]:
        report(path, problem)
    stop_if_problems()  # an unreadable or linked file is not worth reading further
    today = build_date(settings)
    root, labels = Path(settings["PATH"]), shared_references.shared.references
    for kind, folders in (("article", settings["ARTICLE_PATHS"]), ("page", settings["PAGE_PATHS"])):
        for folder in folders:
            for path in sorted(p for p in (root / folder).rglob("*.md") if not sources.editor_file(p.name, settings)):
                for problem in sources.source_problems(path, kind, settings, today, labels):
                    report(path, problem)
    stop_if_problems()


# As each page is rendered.

def page_ids(root):
    # Plain strings: lxml's default "smart" strings keep the whole parsed tree alive.
    return set(root.xpath(".//@id", smart_strings=False))


def same_page_links(root):
    own_ids = page_ids(root)
    for tag in root.iter("a"):
        target = (tag.get("href") or "").strip()
        if target.startswith("#") and target[1:] not in own_ids:
            yield f"({target})", f"link to '{target}': this page has no section with that id"


def intrasite_links(root):
    """(kind, path, fragment) of each {filename} or {static} link: whether they exist is checked each build."""
    for tag in root.iter("a", "img"):
        url = ((tag.get("href") if tag.tag == "a" else tag.get("src")) or "").strip()
        # A '?' is refused with the URL policy (url_problem), which keeps any host or query written after the mark.
        if (intrasite := INTRASITE.match(url)) and intrasite[1] != "index" and "?" not in url:
            path, _, fragment = url[intrasite.end():].partition("#")
            yield intrasite[1], path, fragment


def check_intrasite_links(content, links):
    source_dir = os.path.dirname(content.source_path)
    settings = content.settings
    content_root = os.path.abspath(settings["PATH"])
    # Pelican publishes whatever a link names: a {static} link may name only a picture, a
    # {filename} link only a page ((folders, file endings) each may name).
    publishable = {"static": ([settings["IMAGES_PATH"]], tuple(settings["IMAGE_SIGNATURES"])),
                   "filename": ([*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]], (".md",))}
    for kind, path, fragment in links:
        base = content_root if path.startswith("/") else source_dir
        linked = os.path.normpath(os.path.join(base, path.lstrip("/")))
        folders, endings = publishable[kind]
        if os.path.commonpath([content_root, os.path.abspath(linked)]) != content_root:
            yield path, f"link to '{path}' points outside content/"
        elif not os.path.isfile(linked):
            yield path, f"link to '{path}': there is no such file"
        elif not linked.endswith(endings) or os.path.relpath(linked, content_root).split(os.sep)[0] not in folders:
            what = "a picture in content/images/" if kind == "static" else "a page (.md) in articles/ or pages/"
            yield path, f"link to '{path}' names a file the site does not publish: {{{kind}}} links name {what}"
        elif fragment:
            fragment_links.append((content.source_path, linked, fragment))


def check_headings(root):
    previous = 1  # the page title is the h1
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(heading.tag[1])
        text = text_of(heading)
        if level == 1:
            yield f"# {text}", (f"heading '{text}' is level 1; the title is the page's only h1, "
                                "so start sections at '##'")
        elif level > previous + 1:
            yield f"# {text}", f"heading '{text}' (level {level}) skips a level after level {previous}"
        previous = level


def repeated_headings(root):
    """Two sections with the same words: the table of contents gives the second "..._1", so no
    link written with the words' address can reach it."""
    headings = list(root.iter("h2", "h3", "h4", "h5", "h6"))
    ids = {heading.get("id") for heading in headings}
    for heading in headings:
        own = heading.get("id") or ""
        if re.search(r"_\d+$", own) and own.rsplit("_", 1)[0] in ids:
            yield text_of(heading), (f"two sections are called '{text_of(heading)}': give this heading other words, "
                                     "so each has an address of its own")


def check_tables(root):
    for paragraph in root.iter("p"):
        text = text_of(paragraph)
        if text.startswith("|") and text.count("|") > 2:
            yield text, (f"a table did not render ('{text[:30]}...'): a table needs a header row, "
                         "then a line like |---|---|, then its rows")


def hidden_in_page(root):
    """An invisible character in the rendered page, however Markdown came to write it: the door
    reads the source, and this is its backstop. The word joiner is ours (CitationMarkJoiner)."""
    values = [*root.itertext(), *(value for element in root.iter() for value in element.attrib.values())]
    for character in sources.hidden_characters(" ".join(values)):
        if character != WORD_JOINER:
            yield None, (f"the page would hold the invisible character {sources.character_name(character)}, "
                         "which can hide or reorder text: delete it, or whatever writes it")


def check_marks(root):
    """The marks the page's own code finds as written (page_structure), each alone on its element,
    where it belongs: the class attribute is exactly the mark, as the code looks for it."""
    for element in root.iter(lxml.etree.Element):
        written = element.get("class") or ""
        if "main-message" in written.split() and (
                written != "main-message" or element.tag != "div" or element is not root[0]
                or not len(element) or any(child.tag != "p" for child in element)):
            yield text_of(element)[:60] or None, (
                "a main message is a <div class=\"main-message\" markdown=\"1\"> of paragraphs, first on the page, "
                "with no other class: the page shows it before its notes and contents")
        if "icon-array" in written.split():
            shown = icon_numbers(element)
            if written != "icon-array" or element.tag != "p" or len(shown) != 2:
                yield text_of(element)[:60] or None, (
                    "an icon-array paragraph ({: .icon-array }, no other class) states two whole numbers as "
                    "'N in 100', each at most 100, which its picture shows: '76 in 100 people who had ketamine ..., "
                    "compared with 18 in 100 ...'")


RULES = (hidden_in_page, same_page_links, check_headings, repeated_headings, check_tables, check_marks)


def page_facts(html, settings):
    """What a page's HTML alone tells the checks: ([(needle, problem)], its intrasite links)."""
    root = parse(html)
    problems = html_problems(html, settings["SOURCE_DOMAINS"], root)
    problems += [(address, f"names '{address}' as text, which is not an allowed source: name the work and cite it")
                 for address in addresses_off_the_list(" ".join(root.itertext()), settings["SOURCE_DOMAINS"])]
    for rule in RULES:
        problems.extend(rule(root))
    return problems, list(intrasite_links(root)), root


def metadata_line(path, key):
    """The line of a page's `key:` metadata (0 if it has none)."""
    lines = Path(path).read_text("utf-8").split("\n")
    return next((n for n, text in enumerate(lines, 1) if text.casefold().startswith(f"{key}:")), 0)


def check_content(content):
    if isinstance(content, Page) and "menu_order" in content.metadata:
        # A number, as its format says (checked before reading): PAGE_ORDER_BY would sort the text, "10" before "2".
        content.menu_order = int(content.metadata["menu_order"])
    if not isinstance(content, (Article, Page)) or not content._content:
        return
    problems, links, root = page_facts(content._content, content.settings)
    summary = content.metadata.get("summary") or ""
    summary_line = metadata_line(content.source_path, "summary") if summary else 0
    summary_root = parse(summary)
    problems += [(None, f"line {summary_line}: 'Summary:' {problem}") for _, problem in
                 [*html_problems(summary, content.settings["SOURCE_DOMAINS"], summary_root),
                  *hidden_in_page(summary_root)]]
    content.evidence_units = list(evidence.units(root))
    for key in ("title", "summary", "menu_label"):  # labels: they state no fact, so no number
        if found := evidence.numbers(content.metadata.get(key) or ""):
            line = metadata_line(content.source_path, key)
            problems.append((None, f"line {line}: '{key.capitalize()}:' states a number "
                             f"('{evidence.shown_number(min(found))}'): a number is a fact; state it in the page, "
                             "where it cites its source"))
    for needle, problem in [*problems, *check_intrasite_links(content, links)]:
        report(content.source_path, problem, needle)
    next_review = content.metadata.get("next_review")
    today = build_date(content.settings)
    content.review_overdue = bool(next_review) and datetime.date.fromisoformat(next_review) < today
    if content.review_overdue:
        print(f"notice: {shown(content.source_path)}: its review was due on {next_review}; "
              "the page says so until it is reviewed", file=sys.stderr)


# As each page is written.

def check_written_page(path, context):
    """The page as written, theme and all: every id once, so no content id can take the address
    of the theme's own (the medicines warning, the skip link's target) or of a reference."""
    content = context.get("article") or context.get("page")
    if content is None or not str(path).endswith(".html"):
        return
    with open(path, encoding="utf-8") as page:
        ids = Counter(lxml.html.fromstring(page.read()).xpath("//@id", smart_strings=False))
    for duplicate in sorted(i for i, count in ids.items() if count > 1):
        taken = parse(content._content).xpath(f".//*[@id='{duplicate}']")  # the heading that took it
        needle = text_of(taken[0]) if taken else None
        report(content.source_path, f"the id '{duplicate}' is used twice on the page: give the section its own "
               "words", needle)


# Once all pages are read.

def check_site(generators):
    contents = [content for generator in generators
                for attribute in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")
                for content in getattr(generator, attribute, [])]
    by_source = {os.path.normpath(content.source_path): content for content in contents}
    targets = {target for _, target, _ in fragment_links if by_source.get(target) and by_source[target]._content}
    ids = {target: page_ids(parse(by_source[target]._content)) for target in targets}
    for source, target, fragment in fragment_links:
        if target in ids and fragment not in ids[target]:
            report(source, f"link to '#{fragment}': {shown(target)} has no section with that id", f"#{fragment}")
    sources_by_address = defaultdict(list)
    settings = generators[0].settings
    own_files = [settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html") for name in settings["DIRECT_TEMPLATES"]]
    for address in (*own_files, *settings["EDITION_FILES"].values(), *settings.get("TEMPLATE_PAGES", {}).values()):
        sources_by_address[address].append(None)  # written by the site itself
    for content in contents:  # each page's evidence page is its address too, whether it has one yet or not
        evidence_page = settings["EVIDENCE_SAVE_AS"].format(slug=content.slug)
        sources_by_address[evidence_page].append(("evidence", content.source_path))
    for content in contents:
        sources_by_address[content.save_as].append(content.source_path)
    for address, owners in sources_by_address.items():
        if len(owners) > 1 and not isinstance(owners[-1], tuple):  # two pages of one slug: told at their own address
            others = ", ".join(f"the evidence page of {shown(owner[1])}" if isinstance(owner, tuple)
                               else shown(owner) if owner else "the site's own file" for owner in owners[:-1])
            report(owners[-1], f"has the same address ({address}) as {others}: give it its own Slug")
    fragment_links.clear()
    stop_if_problems()
    check_evidence(contents, settings)
    stop_if_problems()


def check_evidence(contents, settings):
    """Each page's statements against its records (evidence.py), once every page has passed the
    rules above; each page gets `evidence`, [(section, unit, record)], for its evidence page."""
    references = shared_references.shared.references
    cited_years = {label: set(map(Fraction, evidence.YEAR.findall(definition.text)))
                   for label, definition in references.items()}
    today = build_date(settings)
    # {label: (its first part, as the reference list starts it; its link)}, for the evidence pages.
    sources = {label: (definition.text.split(". ")[0].removesuffix("."), evidence.LINK.search(definition.text)[1])
               for label, definition in references.items()}
    quoted = set()
    for content in contents:
        units = getattr(content, "evidence_units", [])
        path = evidence.records_path(content.source_path)
        records, record_problems = evidence.read_records(path)
        for problem in record_problems:
            report(path, problem)
        on_page, in_records = evidence.problems(units, records, path, references, cited_years, today,
                                                article=isinstance(content, Article))
        for needle, problem in on_page:
            report(content.source_path, problem, needle)
        for line, problem in in_records:
            report(path, f"line {line}: {problem}" if line else problem)
        for record in records:  # what its evidence page shows of it
            shown = [record.says, record.derivation, *(f"{q.quote} {q.unread or ''} "
                                                       f"{evidence.where_read(q.read_at, settings['SOURCE_DOMAINS'])}"
                                                       for q in record.sources)]
            for address in addresses_off_the_list(" ".join(shown), settings["SOURCE_DOMAINS"]):
                report(path, f"line {record.line}: names '{address}', which is not an allowed source, where its "
                       "evidence page shows it: say 'another site', or name the work")
        content.evidence = [(unit.section, record) for unit in units
                            if (record := evidence.matching_record(unit, records)) and record.kind == "fact"]
        content.evidence_url = settings["EVIDENCE_SAVE_AS"].format(slug=content.slug) if content.evidence else None
        content.evidence_sources = sources
        quoted |= {quote.cites for record in records for quote in record.sources}
    references_path = Path(settings["PATH"], settings["REFERENCES_FILE"])
    read_path = Path(settings["PATH"], settings["REFERENCES_READ_FILE"])
    try:
        read = tomllib.loads(read_path.read_text("utf-8"))
    except FileNotFoundError:
        read = {}
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as error:
        report(read_path, f"cannot be read as TOML: {' '.join(str(error).split())}")
        return
    for line, problem in evidence.reference_problems(references, read, quoted):
        report(references_path, f"line {line}: {problem}")
    statements = [unit.text for content in contents for unit in getattr(content, "evidence_units", [])
                  if unit.kind == "statement"]
    abbreviations_path = Path(settings["PATH"], settings["ABBREVIATIONS_FILE"])
    for line, problem in evidence.abbreviation_problems(shared_references.shared.abbreviations, statements):
        report(abbreviations_path, f"line {line}: {problem}")


def register():
    signals.initialized.connect(check_shared_files)
    signals.readers_init.connect(use_bounded_reader)
    signals.get_generators.connect(build_started)
    # get_generators comes at the start of every build, devserver's rebuilds included.
    signals.get_generators.connect(check_sources)
    signals.content_object_init.connect(check_content)
    # Pages are read after articles, and before Pelican looks for the files they link to.
    signals.page_generator_finalized.connect(stop_if_problems)
    signals.all_generators_finalized.connect(check_site)
    signals.content_written.connect(check_written_page)
    signals.finalized.connect(stop_if_problems)
    signals.finalized.connect(build_finished)
