"""Checkers for built pages that more than one test module uses. Each takes parsed HTML and
returns a list of problems (empty when the page is fine), so a test can run it on the real
site and on a broken copy. A checker one module uses lives in that module."""

import json
import posixpath
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from prerequisites import JAVA, VNU_JAR

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def problems_by_page(pages, check, *args):
    """{page path: its problems} for the pages `check` finds problems in: {} when all are fine."""
    return {path: found for path, soup in pages.items() if (found := check(soup, *args))}


def heading_problems(soup):
    problems = []
    h1s = soup.find_all("h1")
    if len(h1s) != 1:
        problems.append(f"expected exactly one <h1>, found {len(h1s)}")
    previous = 1
    for heading in soup.find_all(HEADINGS):
        level = int(heading.name[1])
        if level > previous + 1:
            problems.append(f"<{heading.name}> '{heading.get_text(strip=True)}' skips a level after <h{previous}>")
        previous = level
    seen = set()
    for element in soup.find_all(id=True):
        if element["id"] in seen:
            problems.append(f"id '{element['id']}' is used twice")
        seen.add(element["id"])
    return problems


def heading_text(heading):
    """A heading's words, spaces collapsed."""
    return " ".join(heading.get_text().split())


def outline(soup):
    return [f"{h.name}: {heading_text(h)}" for h in soup.find_all(["h1", "h2"])]


def metadata_problems(soup):
    problems = []
    html = soup.find("html")
    if not html or not html.get("lang"):
        problems.append("<html> has no lang attribute")
    title = soup.find("title")
    if not title or not title.get_text(strip=True):
        problems.append("no <title>")
    for name in ("description", "viewport"):
        meta = soup.find("meta", attrs={"name": name})
        if not meta or not meta.get("content", "").strip():
            problems.append(f'no <meta name="{name}"> with content')
    for img in soup.find_all("img"):
        if img.get("alt") is None:
            problems.append(f"<img src='{img.get('src')}'> has no alt attribute")
    return problems


def is_external(url):
    return bool(urlsplit(url).scheme) and urlsplit(url).scheme not in ("", "file")


def page_urls(soup):
    """(element, URL) for every href and src in a page: the one way the checks find URLs."""
    for attribute in ("href", "src"):
        for element in soup.find_all(attrs={attribute: True}):
            yield element, element[attribute]


def internal_urls(soup):
    """Every href and src that stays inside the site."""
    return [url for _, url in page_urls(soup) if not is_external(url)]


def site_path(page_path, url):
    """The site-relative path a URL on `page_path` names; an empty path names the page itself.
    A result starting with ".." has left the site."""
    path = unquote(urlsplit(url).path)
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path)) if path else page_path


def link_problems(page_path, soup, site, pages):
    """Every internal href/src names a file in the built site; every #fragment is an id there.

    page_path: the page's path relative to the site root; pages: {path: soup} of the whole site.
    """
    problems = []
    for url in internal_urls(soup):
        if url.startswith("data:"):
            continue
        parts = urlsplit(url)
        target = site_path(page_path, url)
        if url.startswith("/") or target.startswith(".."):
            problems.append(f"'{url}' is not relative to the site (it leaves the site folder)")
            continue
        file = Path(site, target)
        if not file.is_file():
            problems.append(f"'{url}' points to {target}, which is not a file in the site")
            continue
        if parts.fragment:
            target_soup = pages.get(target)
            if target_soup is None or not target_soup.find(id=unquote(parts.fragment)):
                problems.append(f"'{url}': {target} has no element with id '{parts.fragment}'")
    return problems


def footnote_problems(soup):
    """Every citation mark points to a reference, and every reference links back to a mark."""
    problems = []
    for ref in soup.select("a.footnote-ref"):
        target = ref.get("href", "")[1:]
        note = soup.find(id=target)
        if note is None or note.find_parent(class_="footnote") is None:
            problems.append(f"citation {ref.get_text()} points to '#{target}', which is not a reference")
    for note in soup.select(".footnote li"):
        backrefs = note.select("a.footnote-backref")
        if not backrefs:
            problems.append(f"reference '{note.get('id')}' has no link back to the text")
        for backref in backrefs:
            if not soup.find(id=backref.get("href", "")[1:]):
                problems.append(
                    f"reference '{note.get('id')}' links back to '{backref.get('href')}', which is not in the page")
        if not soup.select(f'a.footnote-ref[href="#{note.get("id")}"]'):
            problems.append(f"reference '{note.get('id')}' is never cited")
    if re.search(r"\[\^[^\]]+\]", soup.get_text()):
        problems.append("a citation mark '[^...]' was left as plain text (it has no reference)")
    return problems


def mark_problems(docs):
    """In the single-file editions ({name: parsed document}): every citation mark's own text
    says which reference it is, brackets and all ("[12]"), so neighbouring marks never run
    together ("112") in a reading system that ignores our CSS."""
    return [f"{name}: citation mark '{mark.get_text()}'" for name, doc in docs.items()
            for mark in doc.select("a.footnote-ref") if not re.fullmatch(r"\[\d+\]", mark.get_text())]


def numbering_problems(docs):
    """Each reference has one number across the whole edition, and each number one reference; a
    mark shows the number of the note it points to."""
    problems, sources, numbers = [], {}, {}
    for name, doc in docs.items():
        for note in doc.select(".footnote li"):
            backlinks = note.select("a.footnote-backref")
            text = " ".join(note.get_text(" ").replace(backlinks[0].get_text() if backlinks else "", "").split())
            number = note.get("value", "")
            sources.setdefault(text, set()).add(number)
            numbers.setdefault(number, set()).add(text)
        for mark in doc.select("a.footnote-ref"):
            note = doc.find(id=mark["href"].partition("#")[2])
            if note is not None and mark.get_text().strip("[]") != note.get("value"):
                problems.append(f"{name}: mark {mark.get_text()} points to reference {note.get('value')}")
    problems += [f"one reference is numbered {sorted(n)}: {text[:60]}" for text, n in sources.items() if len(n) > 1]
    problems += [f"number {n} is given to {len(t)} references" for n, t in numbers.items() if len(t) > 1]
    return problems


def vnu_errors_by_path(files):
    """{path of each file, resolved: [error messages]} from one run of vnu.jar over `files`."""
    result = subprocess.run(
        [*JAVA, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True, text=True,
    )
    report = json.loads(result.stderr)
    errors = {Path(file).resolve(): [] for file in files}
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            path = Path(unquote(urlsplit(message["url"]).path)).resolve()
            errors[path].append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def vnu_errors(files):
    """{file name: [error messages]} from one run of vnu.jar over `files` (of one folder)."""
    return {path.name: found for path, found in vnu_errors_by_path(files).items()}


def reading_text(soup):
    """The words a reader reads in the page's content: no references, tables or citation marks.
    Each list item and heading counts as a sentence of its own."""
    prose = parse(str(soup)).select_one(".prose")
    if prose is None:
        return ""
    for element in prose.select("table, .footnote, sup"):
        element.decompose()
    sentences = []
    for block in prose.find_all(["p", "li", "dt", "dd", "h2", "h3", "h4"]):
        if block.find(["p", "ul", "ol"]):
            continue
        text = block.get_text(" ", strip=True)
        if text:
            sentences.append(text if text[-1] in ".?!:" else text + ".")
    return " ".join(sentences)

def parse(html):
    """Parsed HTML, as every check reads a page (also a fresh copy: parse(str(soup)))."""
    return BeautifulSoup(html, "lxml")
