"""Checkers for built pages. Each takes parsed HTML and returns a list of problems
(empty when the page is fine), so a test can run it on the real site and on a broken copy."""

import json
import posixpath
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from prerequisites import VNU_JAR

from plugins.content_rules.content_rules import host_allowed

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


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
    """A heading's words, without its permalink mark."""
    return "".join(
        str(node) if isinstance(node, str) else node.get_text()
        for node in heading.children
        if getattr(node, "get", lambda _: None)("class") != ["headerlink"]
    ).strip()


def outline(soup):
    return [f"{h.name}: {heading_text(h)}" for h in soup.find_all(["h1", "h2"])]


def permalink_problems(soup):
    """Section headings in <main> that have no "#" link to themselves, for sharing a section."""
    return [f"heading '{h['id']}' has no permalink" for h in soup.select("main h2[id], main h3[id]")
            if not h.find("a", class_="headerlink", href=f"#{h['id']}")]


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


def internal_urls(soup):
    """(attribute value) of every href and src that stays inside the site."""
    for element in soup.find_all(href=True):
        if not is_external(element["href"]):
            yield element["href"]
    for element in soup.find_all(src=True):
        if not is_external(element["src"]):
            yield element["src"]


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


def insecure_link_problems(soup):
    return [
        f"'{element.get(attr)}' is not https"
        for attr in ("href", "src")
        for element in soup.find_all(**{attr: True})
        if urlsplit(element[attr]).scheme in ("http", "ftp")
    ]


def footnote_problems(soup):
    """Every citation mark points to a reference, and every reference links back to a mark."""
    problems = []
    for ref in soup.select("a.footnote-ref"):
        target = ref.get("href", "")[1:]
        note = soup.find(id=target)
        if note is None or note.find_parent(class_="footnote") is None:
            problems.append(f"citation [{ref.get_text()}] points to '#{target}', which is not a reference")
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


def source_link_problems(soup, domains):
    """Links in the page's own content go only to allow-listed sources, and every
    reference carries an https link to one."""
    problems = [
        f"'{a['href']}' is not on the list of allowed source domains"
        for a in soup.select(".prose a[href]")
        if is_external(a["href"]) and not host_allowed(a["href"], domains)
    ]
    for note in soup.select(".footnote li"):
        links = [a["href"] for a in note.find_all("a", href=True) if not a.get("class")]
        if not any(url.startswith("https://") and host_allowed(url, domains) for url in links):
            problems.append(f"reference '{note.get('id')}' has no https DOI, PubMed or official link")
    return problems


def section_citation_problems(soup, exempt=("References",)):
    """Each h2 section of the page's content cites at least one reference."""
    problems = []
    for heading in soup.select(".prose h2"):
        title = heading_text(heading)
        if title in exempt:
            continue
        cited = False
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            if sibling.select("a.footnote-ref"):
                cited = True
                break
        if not cited:
            problems.append(f"section '{title}' cites no reference")
    return problems


def reading_text(soup):
    """The words a reader reads in the page's content: no references, tables or citation marks.
    Each list item and heading counts as a sentence of its own."""
    prose = parse_copy(soup).select_one(".prose")
    if prose is None:
        return ""
    for element in prose.select("table, .footnote, sup, .headerlink"):
        element.decompose()
    sentences = []
    for block in prose.find_all(["p", "li", "dt", "dd", "h2", "h3", "h4"]):
        if block.find(["p", "ul", "ol"]):
            continue
        text = block.get_text(" ", strip=True)
        if text:
            sentences.append(text if text[-1] in ".?!:" else text + ".")
    return " ".join(sentences)


def parse_copy(soup):
    from bs4 import BeautifulSoup

    return BeautifulSoup(str(soup), "lxml")


def social_metadata_problems(soup, page_url):
    """Search and social tags of a published page: canonical, Open Graph, Twitter card."""
    problems = []
    canonical = soup.find("link", rel="canonical")
    if not canonical or canonical.get("href") != page_url:
        problems.append(f"<link rel='canonical'> should be {page_url}, found {canonical and canonical.get('href')}")
    expected = {
        ("property", "og:url"): page_url,
        ("property", "og:title"): None,
        ("property", "og:description"): None,
        ("property", "og:type"): None,
        ("property", "og:site_name"): None,
        ("name", "twitter:card"): "summary",
        ("name", "twitter:title"): None,
        ("name", "twitter:description"): None,
    }
    for (attribute, name), value in expected.items():
        meta = soup.find("meta", attrs={attribute: name})
        content = meta.get("content", "").strip() if meta else ""
        if not content or (value is not None and content != value):
            problems.append(f"<meta {attribute}='{name}'> should be {value or 'present'}, found {content!r}")
    return problems


# schema.org properties a MedicalWebPage has (its own, WebPage's, CreativeWork's, Thing's)
# that this site uses, and the types allowed where it uses them.
MEDICAL_WEB_PAGE_PROPERTIES = {
    "@context", "@type", "name", "description", "url", "inLanguage", "datePublished", "dateModified",
    "lastReviewed", "about", "audience", "medicalAudience", "isPartOf", "citation", "headline", "reviewedBy",
}
ABOUT_TYPES = {"MedicalCondition", "Drug", "MedicalTherapy", "MedicalEntity", "Thing"}
AUDIENCE_TYPES = {"Audience", "PeopleAudience", "MedicalAudience", "Patient"}
CITATION_TYPES = {"CreativeWork", "ScholarlyArticle", "MedicalScholarlyArticle", "WebPage", "Legislation"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def structured_data_problems(soup, page_url):
    """The JSON-LD MedicalWebPage of a reviewed health page, checked against the page itself."""
    blocks = soup.find_all("script", type="application/ld+json")
    if len(blocks) != 1:
        return [f"expected one JSON-LD block, found {len(blocks)}"]
    try:
        data = json.loads(blocks[0].string or "")
    except ValueError as error:
        return [f"JSON-LD does not parse: {error}"]
    problems = []
    if data.get("@context") != "https://schema.org" or data.get("@type") != "MedicalWebPage":
        problems.append("JSON-LD is not a https://schema.org MedicalWebPage")
    unknown = set(data) - MEDICAL_WEB_PAGE_PROPERTIES
    if unknown:
        problems.append(f"JSON-LD uses properties a MedicalWebPage does not have: {sorted(unknown)}")
    if data.get("url") != page_url:
        problems.append(f"JSON-LD url should be {page_url}")
    shown = soup.select_one("article .review-dates time")
    reviewed = data.get("lastReviewed", "")
    if not ISO_DATE.match(str(reviewed)) or not shown or shown.get("datetime") != reviewed:
        problems.append(f"JSON-LD lastReviewed {reviewed!r} is not the ISO date the page shows as last reviewed")
    abouts = data.get("about") or []
    if not abouts or any(item.get("@type") not in ABOUT_TYPES or not item.get("name") for item in abouts):
        problems.append("JSON-LD about must name what the page is about, as MedicalCondition/Drug things")
    if (data.get("audience") or {}).get("@type") not in AUDIENCE_TYPES:
        problems.append("JSON-LD audience must be an Audience (e.g. MedicalAudience)")
    citations = data.get("citation") or []
    if any(item.get("@type") not in CITATION_TYPES or not item.get("name") for item in citations):
        problems.append("every JSON-LD citation must be a named CreativeWork")
    notes = soup.select("div.footnote li[id]")
    cited_urls = {item.get("url") for item in citations}
    listed_urls = {a["href"] for note in notes for a in note.find_all("a", href=re.compile("^https://"))}
    if len(citations) != len(notes) or not cited_urls <= listed_urls:
        problems.append(f"JSON-LD cites {len(citations)} works, the page lists {len(notes)} references")
    return problems


def content_security_policy(soup):
    """{directive: [sources]} from the page's <meta http-equiv="Content-Security-Policy">."""
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    if not meta:
        return {}
    policy = {}
    for directive in meta.get("content", "").split(";"):
        if directive.split():
            name, *sources = directive.split()
            policy[name.lower()] = sources
    return policy


def security_header_problems(soup):
    """The CSP and referrer policy every page must carry (GitHub Pages cannot send headers)."""
    policy = content_security_policy(soup)
    if not policy:
        return ["no Content-Security-Policy <meta>"]
    problems = []
    required = {"default-src": ({"'none'"}, {"'self'"}), "object-src": ({"'none'"},),
                "base-uri": ({"'self'"}, {"'none'"}), "form-action": ({"'none'"},)}
    for directive, allowed in required.items():
        if set(policy.get(directive, [])) not in allowed:
            expected = [sorted(a) for a in allowed]
            problems.append(f"CSP {directive} is {policy.get(directive)}, expected one of {expected}")
    unsafe = sorted({s for sources in policy.values() for s in sources if s.startswith("'unsafe-")})
    if unsafe:
        problems.append(f"CSP allows {unsafe}")
    referrer = soup.find("meta", attrs={"name": "referrer"})
    if not referrer or referrer.get("content") != "no-referrer":
        problems.append('no <meta name="referrer" content="no-referrer">')
    return problems


def inline_code_problems(soup):
    """Scripts (JSON-LD data blocks excepted), <style> elements and style= attributes."""
    problems = [f"<script> {s.get('src') or (s.string or '')[:40]!r}" for s in soup.find_all("script")
                if s.get("type") != "application/ld+json" or s.get("src")]
    problems += [f"<style> element: {(s.string or '')[:40]!r}" for s in soup.find_all("style")]
    problems += [f"style= attribute on <{t.name}>" for t in soup.find_all(style=True)]
    return problems


def bundle_link_problems(page_path, soup, bundle):
    """In an offline bundle: every href/src is relative and names a file inside the bundle
    (a browser on file:// does not turn a folder URL into its index.html). Only <a> may
    point to the web, and only over https."""
    problems = []
    for tag in soup.find_all(href=True) + soup.find_all(src=True):
        url = tag.get("href") or tag.get("src")
        if url.startswith(("#", "data:", "mailto:")):
            continue
        if urlsplit(url).scheme or url.startswith("//"):
            if not (tag.name == "a" and url.startswith("https://")):
                problems.append(f"<{tag.name}> loads '{url}' from outside the bundle")
            continue
        if url.startswith("/"):
            problems.append(f"'{url}' is not relative")
            continue
        path = site_path(page_path, url)
        target = bundle / path
        if path.startswith(".."):
            problems.append(f"'{url}' points outside the bundle")
        elif not target.is_file():
            problems.append(f"'{url}' is {'a folder' if target.is_dir() else 'missing'}, not a file")
    return problems


def vnu_errors(files):
    """{file name: [error messages]} from one run of vnu.jar over `files`."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True, text=True,
    )
    report = json.loads(result.stderr)
    errors = {file.name: [] for file in files}
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = message["url"].rsplit("/", 1)[-1]
            errors[name].append(f"line {message.get('lastLine')}: {message['message']}")
    return errors
