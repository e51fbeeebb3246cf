"""Promise: routine editing keeps `make test` green. One edited copy of the content, holding
the edits an editor makes every month (new review dates, a second article, an 11th question,
a new row in the article's evidence table, a new glossary term, a new reference the article
cites, a new page tenth in the menu with a table and a picture of its own), builds locally, for
publishing and offline, and passes the suite's
own content checks: every test of the content-facing modules that reads only the build runs
again on the edited build.
A test there that pins today's content fails here."""

import datetime
import inspect
import re
import shutil
import struct
import tomllib
import zipfile
import zlib

import pytest
import test_citations
import test_links
import test_medical_safety
import test_privacy
import test_publishing
import test_reading_level
import test_structure
from bs4 import BeautifulSoup
from conftest import (
    PUBLISHED_SITEURL,
    ROOT,
    build_site,
    content_articles,
    home_page_articles,
    menu_links,
    parse,
    read_pages,
    run_make,
    source_metadata,
)
from test_budgets import budget_problems, gzip_budget
from weight import page_weight

from pelicanconf import long_date
from plugins.content_rules.evidence import records_path

# The day of the edits: a month on, so every date really changes (today's content may have
# been reviewed today); the site is built as of that day (BUILD_DATE).
EDIT_DAY = datetime.date.today() + datetime.timedelta(days=30)
# The edits, in an editor's words. The new text reuses sentences the content already says,
# with the sources it already cites: nothing medical is written here.
SECOND_ARTICLE = {"Title": "Ketamine for Chronic Pain: What the Research Shows",
                  "Slug": "ketamine-what-the-research-shows", "Menu_label": "What the research shows"}
NEW_QUESTION = "Which warning signs after a session mean I should get help, and who do I contact?"
NEW_REFERENCE = "asra-guidelines"  # the 2018 US guidelines, cited under a second label
NEW_ROW = ["Other kinds of long-term pain", "Weak or none[^cohen2018]",
           f"The US guidelines found weak or no evidence for other kinds of long-term pain.[^{NEW_REFERENCE}]"]
# A new page, tenth in the menu (after every page there is today), in plain words and with no
# medical fact: what the print test already promises.
NEW_PAGE = ("printing.md", """Title: Printing this guide
Slug: printing
Date: {day}
Menu_order: 10
Summary: How to print a page of this guide to take with you to an appointment.

## How to print a page

Open the page you want, then choose Print in your browser. The menu is left out of the paper copy,
and each web link shows its address, so you can still find it later.
{{: .advice }}

![A print window, with Fit to page chosen]({{static}}/images/print-window.png)
{{: .advice }}

<div class="advice" markdown="1">

Table: What to choose in the print window

| Paper | Scale |
|---|---|
| Letter | Fit to page |
| European paper | Fit to page |

</div>
""")
PICTURE = "images/print-window.png"


def png(width, height):
    """A plain PNG picture, as an editor's screenshot tool saves one."""
    rows = b"".join(b"\0" + b"\x20\x40\x60" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


NEW_TERM = ("Benzodiazepine", "A medicine for anxiety or sleep. Taken with ketamine, it can cause very deep sleep "
            "and slow breathing.[^ketalar]")

# The modules whose promises are about the content, and the fixtures a test of theirs may
# take to be run again here: any other fixture (a browser, a temp folder) means it is not
# a check of the build. Checker self-tests ("catches") run on their own small inputs.
CONTENT_MODULES = (test_structure, test_links, test_citations, test_medical_safety, test_reading_level,
                   test_publishing, test_privacy)
BUILD_FIXTURES = {"content", "site", "pages", "articles", "article", "published_site", "published_pages"}


def edit(path, change):
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def set_metadata(text, key, value):
    """The Markdown with its `key:` line set to `value` (added after the Title line if missing)."""
    if re.search(rf"^{key}: ", text, re.M):
        return re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    return re.sub(r"^(Title: .*)$", rf"\1\n{key}: {value}", text, count=1, flags=re.M)


def new_review_dates(text):
    if not re.search(r"^Reviewed: ", text, re.M):
        return text
    next_review = EDIT_DAY + datetime.timedelta(days=365)
    for key, value in (("Modified", EDIT_DAY), ("Reviewed", EDIT_DAY), ("Next_review", next_review)):
        text = set_metadata(text, key, value)
    return text


def add_question(text):
    """An 11th question (or whatever comes next) after the last one, and the summary's count."""
    numbered = re.findall(r"^(\d+)\. .*$", text, re.M)
    last = max(int(n) for n in numbered)
    text = re.sub(rf"^({last}\. .*)$", rf"\1\n{last + 1}. {NEW_QUESTION}", text, count=1, flags=re.M)
    return re.sub(rf"^(Summary: .*)\b{last} questions\b", rf"\g<1>{last + 1} questions", text, count=1, flags=re.M)


def add_table_row(text):
    """A row at the end of the page's first table, with as many cells as its header."""
    lines = text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("|") and lines[i + 1].startswith("|---"))
    end = next(i for i in range(header, len(lines)) if not lines[i].startswith("|"))
    columns = lines[header].strip("|").count("|") + 1
    cells = [NEW_ROW[0], *[NEW_ROW[1]] * (columns - 2), NEW_ROW[-1]]
    lines.insert(end, "| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def add_term(text):
    """The new term and its definition, in A to Z order among the glossary's terms."""
    term, definition = NEW_TERM
    terms = re.findall(r"^(\w[^\n:]*)\n:   ", text, re.M)
    after = next((t for t in terms if t.casefold() > term.casefold()), None)
    entry = f"{term}\n:   {definition}\n\n"
    return text.replace(f"{after}\n:   ", entry + f"{after}\n:   ", 1) if after else text + "\n" + entry


def add_reference(text):
    """A copy of the guidelines' reference under a new label, as an editor adds a source."""
    guidelines = re.search(r"^\[\^cohen2018\]: (.*)$", text, re.M)[1]
    return text.rstrip("\n") + f"\n[^{NEW_REFERENCE}]: {guidelines}\n"


def a_quote(records, label):
    """(quote, where it was read) of a source the records already quote: the new statements
    below say what the content already says, from sources it already cites."""
    return next((source["quote"], source["read_at"]) for fact in tomllib.loads(records).get("fact", [])
                for source in fact["source"] if source["cites"] == label and source.get("quote"))


def add_record(records, says, *labels, quoted=None):
    """The record an editor writes for a new statement: its words and, for each source it cites,
    words that source says (`quoted`: the label of the same work, already quoted)."""
    record = f"\n[[fact]]\nsays = {says!r}\n"
    for label in labels:
        quote, read_at = a_quote(records, quoted or label)
        record += (f"\n[[fact.source]]\ncites = {label!r}\nquote = {quote!r}\nread_at = {read_at!r}\n"
                   f"checked = {EDIT_DAY}\n")
    return records + record


def without_marks(text):
    return re.sub(r"\[\^[^\]]+\]", "", text)


class EditedBuild:
    def __init__(self, folder):
        self.content = shutil.copytree(ROOT / "content", folder / "content")
        self.first_source, self.first_page = content_articles(self.content)[0]
        self.edit()
        self.site = self.build(folder / "site")
        self.published_site = self.build(folder / "published", "publishconf.py", SITEURL=PUBLISHED_SITEURL)
        self.pages = read_pages(self.site)
        self.published_pages = read_pages(self.published_site)
        self.articles = {path: self.pages[path] for path in home_page_articles(self.pages["index.html"])}
        self.dist = folder / "dist"
        result = run_make("offline", DIST=self.dist, CONTENT=self.content, BUILD_DATE=EDIT_DAY.isoformat())
        assert result.returncode == 0, f"the edited content gave no editions:\n{result.stdout}\n{result.stderr}"

    def edit(self):
        for source in self.content.glob("*/*.md"):
            edit(source, new_review_dates)
        second = (self.content / self.first_source).read_text("utf-8")
        for key, value in {**SECOND_ARTICLE, "Date": EDIT_DAY}.items():
            second = set_metadata(second, key, value)
        (self.content / "articles" / f"{SECOND_ARTICLE['Slug']}.md").write_text(second, "utf-8")
        # Its statements are the first article's, checked against the same words.
        shutil.copy(records_path(self.content / self.first_source),
                    records_path(self.content / "articles" / f"{SECOND_ARTICLE['Slug']}.md"))
        edit(self.content / self.first_source, add_table_row)
        row, strength, found = NEW_ROW
        edit(records_path(self.content / self.first_source), lambda records: add_record(add_record(
            records, f"{row}, Strength of evidence: {without_marks(strength)}", "cohen2018"),
            f"{row}, What studies found: {without_marks(found)}", NEW_REFERENCE, quoted="cohen2018"))
        edit(self.content / "references.md", add_reference)
        edit(self.content / "references-read.toml", lambda read: read + re.search(
            r"^cohen2018( = .*)$", read, re.M).expand(rf"{NEW_REFERENCE}\1") + "\n")
        edit(self.content / "pages" / "questions.md", add_question)
        edit(self.content / "pages" / "glossary.md", add_term)
        edit(records_path(self.content / "pages" / "glossary.md"),
             lambda records: add_record(records, f"{NEW_TERM[0]}: {without_marks(NEW_TERM[1])}", "ketalar"))
        name, text = NEW_PAGE
        (self.content / "pages" / name).write_text(text.format(day=EDIT_DAY), "utf-8")
        (self.content / "images").mkdir()
        (self.content / PICTURE).write_bytes(png(40, 30))

    def build(self, output, settings="pelicanconf.py", **env):
        """Build as `make html` (or, with publishconf.py, `make publish`) would on EDIT_DAY."""
        result = build_site(output, settings, self.content, env={"BUILD_DATE": EDIT_DAY.isoformat(), **env})
        assert result.returncode == 0, f"the edited content did not build:\n{result.stdout}\n{result.stderr}"
        return output

    def fixtures(self):
        return {"content": self.content, "site": self.site, "pages": self.pages, "articles": self.articles,
                "article": next(iter(self.articles.values())), "published_site": self.published_site,
                "published_pages": self.published_pages}


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    return EditedBuild(tmp_path_factory.mktemp("edited"))


def parameter_sets(function):
    """The keyword arguments of each case of a test's `parametrize` marks ([{}] if it has none)."""
    cases = [{}]
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = [n.strip() for n in mark.args[0].split(",")] if isinstance(mark.args[0], str) else list(mark.args[0])
        values = [v.values if hasattr(v, "values") else (v if len(names) > 1 else (v,)) for v in mark.args[1]]
        cases = [{**case, **dict(zip(names, value, strict=True))} for case in cases for value in values]
    return cases


def content_checks():
    """(test id, test function, its parameters) of each test of CONTENT_MODULES that reads only the build."""
    for module in CONTENT_MODULES:
        for name, function in vars(module).items():
            if not name.startswith("test_") or "catches" in name or not inspect.isfunction(function):
                continue
            for case in parameter_sets(function):
                fixtures = set(inspect.signature(function).parameters) - set(case)
                if fixtures and fixtures <= BUILD_FIXTURES:
                    label = "".join(f"[{value}]" for value in case.values())
                    yield pytest.param(function, case, id=f"{module.__name__}::{name}{label}")


CONTENT_CHECKS = list(content_checks())


def test_the_rerun_holds_the_content_checks():
    """The list is read from the modules, so make sure it did not come out empty or lose a module."""
    modules = {check.id.split("::")[0] for check in CONTENT_CHECKS}
    assert modules == {module.__name__ for module in CONTENT_MODULES}, modules
    assert len(CONTENT_CHECKS) >= 30


@pytest.mark.parametrize("check, case", CONTENT_CHECKS)
def test_the_edited_build_passes(edited, check, case):
    available = edited.fixtures()
    check(**case, **{name: available[name] for name in inspect.signature(check).parameters if name not in case})


def test_the_edits_are_in_the_build(edited):
    """Each edit reached the pages, so the checks above ran on it."""
    first, pages = edited.pages[edited.first_page], edited.pages
    assert list(edited.articles) == [f"{SECOND_ARTICLE['Slug']}.html", edited.first_page], "newest first"
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all(["th", "td"])] for tr in first.select("table tr")]
    assert NEW_ROW[0] in [row[0] for row in rows]
    assert len(pages["printing.html"].select("table")) == 1, "a second table, on the new page"
    assert first.select(f'.footnote li[id="fn-{NEW_REFERENCE}"]'), "the new reference is in the article's list"
    questions = [li.get_text(" ", strip=True) for li in pages["questions.html"].select(".checklist ol > li")]
    assert questions[-1] == NEW_QUESTION
    assert NEW_TERM[0] in [dt.get_text(strip=True) for dt in pages["glossary.html"].select("dt")]
    assert menu_links(pages["index.html"])[-1] == "printing.html", "the new page comes last in the menu"
    assert [img["src"] for img in pages["printing.html"].select("img")] == [f"./{PICTURE}"]


def test_a_picture_reaches_every_edition(edited):
    """The print edition is one file, so its picture is inline; the EPUB packages it, declared with
    its type, and says it has pictures with text descriptions; the zip holds it beside its page."""
    print_edition = parse(next(edited.dist.glob("*-print.html")).read_text("utf-8"))
    [image] = print_edition.select("img")
    assert image["alt"] == "A print window, with Fit to page chosen"
    assert image["src"].startswith("data:image/png;base64,")
    with zipfile.ZipFile(next(edited.dist.glob("*.epub"))) as book:
        assert book.read(f"EPUB/{PICTURE}") == (edited.content / PICTURE).read_bytes()
        package = BeautifulSoup(book.read("EPUB/package.opf"), "xml")
        assert package.find("item", href=PICTURE)["media-type"] == "image/png"
        assert package.find("meta", property="schema:accessMode", string="visual")
        chapter = book.read("EPUB/page-printing.xhtml").decode()
        assert f'src="{PICTURE}"' in chapter
    with zipfile.ZipFile(next(edited.dist.glob("*-offline.zip"))) as bundle:
        assert any(name.endswith(f"/{PICTURE}") for name in bundle.namelist())


def test_every_shown_review_date_is_its_pages_metadata(edited):
    for source in edited.content.glob("*/*.md"):
        metadata = source_metadata(source)
        if "reviewed" not in metadata:
            continue
        page = edited.pages[f"{metadata['slug']}.html"]
        shown = [(t["datetime"], t.get_text()) for t in page.select(".review-dates time")]
        assert shown == [(metadata[key], long_date(metadata[key])) for key in ("reviewed", "next_review")]
        assert metadata["reviewed"] == str(EDIT_DAY)


@pytest.mark.parametrize("build", ["local", "published"])
def test_every_edited_page_is_within_its_budgets(edited, build):
    folder, pages, url = ((edited.site, edited.pages, "") if build == "local" else
                          (edited.published_site, edited.published_pages, PUBLISHED_SITEURL))
    assert {path: found for path, soup in pages.items()
            if (found := budget_problems(page_weight(folder, path, soup, url), gzip_budget(path, edited.content)))
            } == {}
