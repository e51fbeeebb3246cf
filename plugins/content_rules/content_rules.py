"""Content rules Pelican does not enforce itself, checked while the site builds so an
editor sees them in `make html`, not only in `make test`.

Problems are reported one line each, "file: problem", and the build stops with exit
status 1 before anything is written. It stops with SystemExit rather than a logged
error, because Pelican prints a Python traceback after any fatal log message, and the
one line an editor needs gets lost in it.

- Before Pelican reads the files: UTF-8, a title, well-formed dates, a menu position for
  pages, alt text on Markdown images, and no drafts (Pelican would publish a draft at drafts/<slug>.html).
- As each page is rendered: links to files and sections that exist, https only, sources
  only on the allow-list (SOURCE_DOMAINS), no skipped heading levels, alt text on images,
  and every citation found in the shared references.
- Once all pages are read: no two files with the same output address.
"""

import datetime
import os
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from pelican import signals
from pelican.contents import Article, Page

DATE_FIELDS = ("date", "modified", "reviewed", "next_review")
INTRASITE = re.compile(r"^\{(?:filename|static)\}([^#?]*)(?:#(.*))?$")
UNRESOLVED_CITATION = re.compile(r"\[\^([^\]]+)\]")
IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(\s*([^)\s]*)")

problems = []  # "file: problem" lines, reported together
# (linking file, target file, fragment) for links into other pages, checked once every page
# is read. Links within a page are checked at once, so no page's ids are kept in memory.
fragment_links = []


def report(path, problem):
    problems.append(f"{os.path.relpath(path)}: {problem}")


def stop_if_problems():
    if problems:
        found = sorted(set(problems))
        problems.clear()
        raise SystemExit("\n".join(f"error: {line}" for line in found)
                         + f"\nThe build stopped: {len(found)} content problem(s). Nothing was written.")


def host_allowed(url, domains):
    """Is the URL's host one of `domains` (SOURCE_DOMAINS) or a subdomain of one?"""
    host = urlsplit(url).hostname or ""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


# Before Pelican reads the files.

def markdown_metadata(text):
    """{lowercased key: value} from a Markdown file's header lines (up to the first blank line)."""
    metadata = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if colon and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key.strip()):
            metadata[key.strip().lower()] = value.strip()
    return metadata


def check_source(path, is_page, settings):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return report(path, f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start}); "
                            "save it with UTF-8 encoding")
    metadata = markdown_metadata(text)
    if not metadata.get("title"):
        report(path, "has no 'Title:' line in its metadata")
    for field in DATE_FIELDS:
        if field in metadata:
            try:
                datetime.datetime.fromisoformat(metadata[field])
            except ValueError:
                report(path, f"'{field.capitalize()}: {metadata[field]}' is not a date; write it as YYYY-MM-DD")
    order_by = settings.get("PAGE_ORDER_BY")
    if is_page and order_by and not metadata.get(order_by, "").isdigit():
        report(path, f"has no '{order_by.capitalize()}:' (a whole number: its place in the site menu)")
    for image in IMAGE_WITHOUT_ALT.findall(text):  # Pelican itself only warns, mid-read
        report(path, f"image '{image}' has no alt text: describe it, e.g. ![Bar chart of ...]({image})")
    if metadata.get("status", "").lower() == "draft":
        report(path, "is marked 'Status: draft', and Pelican would still publish it (at drafts/); "
                     "keep unfinished pages out of content/ until they are ready")


def check_sources(pelican):
    settings = pelican.settings
    root = Path(settings["PATH"])
    for kind, folders in (("article", settings["ARTICLE_PATHS"]), ("page", settings["PAGE_PATHS"])):
        for folder in folders:
            for path in sorted((root / folder).rglob("*.md")):
                check_source(path, kind == "page", settings)
    stop_if_problems()


# As each page is rendered.

def page_ids(root):
    # Plain strings: lxml's default "smart" strings keep the whole parsed tree alive.
    return set(root.xpath(".//@id", smart_strings=False))


def check_links(content, root):
    source_dir = os.path.dirname(content.source_path)
    allowed = content.settings["SOURCE_DOMAINS"]
    own_ids = page_ids(root)
    for tag in root.iter("a", "img"):
        target = tag.get("href") if tag.tag == "a" else tag.get("src")
        if not target:
            continue
        intrasite = INTRASITE.match(target)
        if intrasite:
            path, fragment = intrasite.groups()
            base = content.settings["PATH"] if path.startswith("/") else source_dir
            linked = os.path.normpath(os.path.join(base, path.lstrip("/")))
            if not os.path.isfile(linked):
                yield f"link to '{path}': there is no such file"
            elif fragment:
                fragment_links.append((content.source_path, linked, fragment))
        elif target.startswith("#") and target[1:] not in own_ids:
            yield f"link to '{target}': this page has no section with that id"
        elif target.startswith("http://"):
            yield f"link to '{target}' is not https"
        elif target.startswith("https://") and not host_allowed(target, allowed):
            host = urlsplit(target).hostname
            yield (f"link to '{target}': {host} is not an allowed source "
                   "(SOURCE_DOMAINS in pelicanconf.py: research and official bodies only, "
                   "no clinics or businesses)")


def check_headings(content, root):
    previous = 1  # the page title is the h1
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(heading.tag[1])
        text = heading.text_content().strip().rstrip("#").strip()
        if level == 1:
            yield f"heading '{text}' is level 1; the title is the page's only h1, so start sections at '##'"
        elif level > previous + 1:
            yield f"heading '{text}' (level {level}) skips a level after level {previous}"
        previous = level


def check_images(content, root):
    for image in root.iter("img"):
        if not (image.get("alt") or "").strip():
            source = image.get("src")
            yield f"image '{source}' has no alt text: describe it, e.g. ![Bar chart of ...]({source})"


def check_citations(content, root):
    for label in dict.fromkeys(UNRESOLVED_CITATION.findall(root.text_content())):
        yield f"cites [^{label}], which is not in the shared references (content/references.md)"


RULES = (check_links, check_headings, check_images, check_citations)


def check_content(content):
    if not isinstance(content, (Article, Page)) or not content._content:
        return
    root = lxml.html.fragment_fromstring(content._content, create_parent="div")
    for rule in RULES:
        for problem in rule(content, root):
            report(content.source_path, problem)


# Once all pages are read.

def check_site(generators):
    contents = [content for generator in generators
                for attribute in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")
                for content in getattr(generator, attribute, [])]
    by_source = {os.path.normpath(content.source_path): content for content in contents}
    targets = {target for _, target, _ in fragment_links if by_source.get(target) and by_source[target]._content}
    ids = {target: page_ids(lxml.html.fragment_fromstring(by_source[target]._content, create_parent="div"))
           for target in targets}
    for source, target, fragment in fragment_links:
        if target in ids and fragment not in ids[target]:
            report(source, f"link to '#{fragment}': {os.path.relpath(target)} has no section with that id")
    sources_by_address = defaultdict(list)
    for content in contents:
        sources_by_address[content.save_as].append(os.path.relpath(content.source_path))
    for address, sources in sources_by_address.items():
        if len(sources) > 1:
            report(sources[-1], f"has the same address ({address}) as {', '.join(sources[:-1])}: give it its own Slug")
    fragment_links.clear()
    stop_if_problems()


def register():
    # get_generators comes at the start of every build, devserver's rebuilds included.
    signals.get_generators.connect(check_sources)
    signals.content_object_init.connect(check_content)
    signals.all_generators_finalized.connect(check_site)
