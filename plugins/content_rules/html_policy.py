"""What rendered content may contain: the elements and attributes Markdown writes here, and
links that stay in the site or go over https to an allowed source. Pages are read as a browser
reads them (html5lib, the HTML5 parsing algorithm), and HTML a browser would have to repair is
refused; the sanitizer nh3 (ammonia) judges elements and attributes: what it would remove is
reported, never cleaned silently. A link's href and an image's src get our own rules, since the
sanitizer allows any relative URL, `//clinic.example/` and backslash tricks included.
"""

import re
from collections import Counter
from urllib.parse import urlsplit

import html5lib
import lxml.etree
import lxml.html
import nh3

# What Python-Markdown, its extensions and our plugins write here.
ALLOWED_ELEMENTS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "a", "em", "strong",
                    "abbr", "sup", "code", "pre", "blockquote", "hr", "br", "img", "div", "table", "caption",
                    "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"*": {"id", "class"}, "a": {"href", "title", "aria-label"}, "abbr": {"title"},
                      "img": {"src", "alt", "title"}, "th": {"scope"}, "td": {"data-label"}, "ol": {"start"}}
# The URL attributes content may have, checked by url_problem; the sanitizer reports any other.
URL_ATTRIBUTES = {"a": "href", "img": "src"}
HTML5 = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("lxml"), namespaceHTMLElements=False)
# Far deeper than any page needs (the article: 8 levels), far below where a parser gives up.
MAX_DEPTH = 40
# The only aria-label content carries: a reference's back-link (shared_references), named from
# BACKLINK_TITLE in pelicanconf.py (change both together: the build says so).
BACKLINK_LABEL = re.compile(r"Back to where reference \d+ is cited")
# Classes content may carry: what Markdown and our plugins write, and the site's marks for
# content. Another, such as the theme's off-screen class, could hide a warning from readers.
CONTENT_CLASSES = {"advice", "icon-array", "main-message", "notes-space", "checklist", "callout", "callout-warning",
                   "callout-info", "footnote", "footnote-ref", "footnote-backref", "admonition", "admonition-title",
                   "note", "tip", "warning", "important"}
# What an icon-array paragraph states, exactly twice: page_structure draws these two numbers.
# Whole people, in ASCII digits, none with a leading zero, "in 100" and not "in 100,000".
PER_100 = re.compile(r"(?<![\w.,\u00b7])(100|[1-9]?[0-9]) in 100(?![0-9]|[.,][0-9])")


def icon_numbers(element):
    """The "N in 100" numbers of an icon-array paragraph as a reader reads them: its words with
    spaces collapsed and citation marks (<sup>) left out. The check and the picture both call this."""
    def words(node):
        if node.tag == "sup":
            return node.tail or ""
        return (node.text or "") + "".join(words(child) for child in node) + (node.tail or "")
    text = (element.text or "") + "".join(words(child) for child in element)
    return [int(n) for n in PER_100.findall(" ".join(text.replace("\u2060", "").split()))]
# Pelican's own link forms: a wrong target stops the build (checked in content_rules).
INTRASITE = re.compile(r"^\{(filename|static|index)\}")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Browsers drop these anywhere in a URL, so "java\tscript:" is "javascript:".
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
# A host as written in a link: letters, digits, dots and hyphens. A browser reads "%2E" and
# look-alike dots ("\u3002", "\uff0e") as ".", so the host it goes to is not the one checked.
PLAIN_HOST = re.compile(r"[a-z0-9.-]+")
# A drug label is linked as itself, by its DailyMed set id (whose versions the source watch asks
# for), never by a search page, whose results change.
DAILYMED_HOST = "dailymed.nlm.nih.gov"
DAILYMED_LABEL = re.compile(rf"^https://{re.escape(DAILYMED_HOST)}/dailymed/drugInfo\.cfm\?(?:[^#]*&)?setid="
                            r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:&[^#]*)?(?:#.*)?$",
                            re.I | re.ASCII)  # ASCII: with IGNORECASE alone, "s" also matches "\u017f"


def host_allowed(url, domains):
    """Is the URL's host one of `domains` (SOURCE_DOMAINS) or a subdomain of one?"""
    host = urlsplit(url).hostname or ""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def url_problem(url, domains):
    """Why a URL in content is refused, or None: {filename}/{static}/{index} links, #fragments and
    https links to an allowed host pass."""
    plain = IGNORED_IN_URLS.sub("", url)
    lowered = plain.lower()
    if not plain or plain.startswith("#") or INTRASITE.match(plain):
        return None
    if "\\" in plain:
        return f"link '{url}' contains a backslash, which browsers read as '/'"
    if lowered.startswith("//"):
        return f"link '{url}' leaves out https: write the full https:// address"
    scheme = SCHEME.match(lowered)
    if not scheme:
        return (f"link '{url}' is a bare relative link: link to pages with {{filename}}/pages/name.md "
                "and to files with {static}/name, so a wrong name stops the build")
    if scheme[1] == "http":
        return f"link '{url}' is not https"
    if scheme[1] != "https":
        return f"link '{url}': '{scheme[1]}:' links are not allowed, only https"
    try:
        parts = urlsplit(plain)
        parts.hostname  # noqa: B018 (parsing the host raises for "[nih.gov]")
    except ValueError:
        return f"link '{url}' has no valid host (brackets are for IPv6 addresses)"
    if "@" in parts.netloc:
        return f"link '{url}' hides its real host after a user name ('@')"
    if not PLAIN_HOST.fullmatch(parts.hostname or ""):
        return (f"link '{url}' writes its host with a character other than a letter, digit, dot or hyphen "
                "(a browser reads '%2E' or a look-alike dot as '.'): write the address plainly")
    if host_allowed(plain, (DAILYMED_HOST,)) and not DAILYMED_LABEL.match(plain):
        return (f"link '{url}' is not a drug label's own page: link the label by its set id "
                f"(https://{DAILYMED_HOST}/dailymed/drugInfo.cfm?setid=...), never a search page")
    if not host_allowed(plain, domains):
        return (f"link to '{url}': {parts.hostname} is not an allowed source "
                "(SOURCE_DOMAINS in pelicanconf.py: research and official bodies only, no clinics or businesses)")
    return None


def is_checked_url(element, name):
    return URL_ATTRIBUTES.get(element.tag) == name


def parse(html):
    return parse_with_errors(html)[0]


def parse_with_errors(html):
    """(the <body> element, html5lib's parse errors) of the fragment, as a browser reads it."""
    body = HTML5.parse(f"<!DOCTYPE html><html><head></head><body>{html}</body></html>").getroot().find("body")
    return body, list(HTML5.errors)


def structure_problems(root, errors):
    """What a browser would read differently from what is written (`errors`: html5lib's)."""
    page_attributes = [(element.tag, name, value)
                       for element in (root.getparent(), root) for name, value in element.items()]
    for tag, name, value in page_attributes:
        yield f"<{tag} {name}=\"{value[:20]}\"> written in content would change the whole page: delete it"
    if errors and not page_attributes:
        (line, column), code, names = errors[0]
        tag = f" <{names['name']}>" if names and names.get("name") else ""
        yield (f"the HTML{tag} is not well formed ({code.replace('-', ' ')}), so a browser would read it "
               "differently from what is written: check the tags around it")
    depth = max((sum(1 for _ in element.iterancestors()) for element in root.iter()), default=0) - 1
    if depth > MAX_DEPTH:
        yield (f"elements are nested {depth} levels deep; no page needs more than {MAX_DEPTH}: "
               "flatten the lists or quotes")


def html_problems(html, domains, parsed=None):
    """One line per thing in rendered content that the policy refuses (`parsed`: its
    parse_with_errors, if the caller has it)."""
    root, errors = parsed or parse_with_errors(html)
    problems = list(structure_problems(root, errors))
    if problems:  # what follows is only right for HTML a browser reads as written
        return problems
    problems += [f"HTML comment '<!--{c.text.strip()[:40]}-->' would be published: delete it"
                for c in root.iter(lxml.etree.Comment)]
    for element in root.iter(lxml.etree.Element):
        for name in set((element.get("class") or "").split()) - CONTENT_CLASSES:
            problems.append(f"class '{name}' is not one content may use ({', '.join(sorted(CONTENT_CLASSES))}): "
                            "the theme's own classes could hide or move the text")
        if element.get("aria-label") is not None and not (
                element.get("class") == "footnote-backref" and BACKLINK_LABEL.fullmatch(element.get("aria-label"))):
            problems.append(f"<{element.tag} aria-label=\"{element.get('aria-label')[:40]}\">: a screen reader "
                            "would say that instead of the words on the page; delete it")
        for name, value in element.items():
            if "<" in value or ">" in value:  # Markdown never writes them; markup inside a value hides from checks
                problems.append(f"<{element.tag} {name}=\"{value[:40]}\">: an attribute holds '<' or '>', which "
                                "Markdown never writes: delete the markup inside it")
        if element.tag == "img" and not (element.get("alt") or "").strip():
            problems.append(f"image '{element.get('src')}' has no alt text: describe it")
    # What the sanitizer keeps is already well formed (html5ever): lxml reads it as a browser would.
    cleaned = lxml.html.fragment_fromstring(nh3.clean(html, tags=ALLOWED_ELEMENTS, attributes=ALLOWED_ATTRIBUTES,
                                                      link_rel=None, url_schemes={"https"}, strip_comments=True),
                                            create_parent="body")
    elements = list(root.iter(lxml.etree.Element))[1:]
    kept_elements = list(cleaned.iter(lxml.etree.Element))[1:]
    refused = Counter(e.tag for e in elements) - Counter(e.tag for e in kept_elements)
    reported = set()  # the outermost refused elements: what they hold goes with them
    kept_attributes = Counter((e.tag, name, value) for e in kept_elements for name, value in e.items()
                              if not is_checked_url(e, name))
    for element in elements:
        if reported and any(ancestor in reported for ancestor in element.iterancestors()):
            refused[element.tag] -= 1
            continue
        if refused[element.tag] > 0 and element.tag not in ALLOWED_ELEMENTS:
            refused[element.tag] -= 1
            reported.add(element)
            problems.append(f"<{lxml.etree.QName(element).localname}> is not allowed in content "
                            "(only what Markdown writes: paragraphs, lists, links, tables...)")
            continue
        for name, value in element.items():
            if is_checked_url(element, name):
                continue
            if kept_attributes[(element.tag, name, value)] > 0:
                kept_attributes[(element.tag, name, value)] -= 1
            elif name == "style" and element.tag in ("th", "td"):
                problems.append("a table column is aligned (':---:'), which needs a style= attribute: "
                                "use plain '---'")
            else:
                problems.append(f"<{element.tag} {name}=\"{value[:40]}\"> is not allowed: content keeps only "
                                "the attributes Markdown writes (no scripts, styles or event handlers)")
    problems += [f"<{lxml.etree.QName(tag).localname}> would be removed by the sanitizer: check the HTML around it"
                 for tag, count in sorted(refused.items()) if count > 0]
    for element in root.xpath("//a[@href] | //img[@src]"):
        if element in reported or (reported and any(a in reported for a in element.iterancestors())):
            continue
        url = element.get(URL_ATTRIBUTES[element.tag])
        if (problem := url_problem(url, domains)) is not None:
            problems.append(problem)
        elif element.tag == "img" and not INTRASITE.match(IGNORED_IN_URLS.sub("", url)):
            problems.append(f"image '{url}' would be loaded from another site as the page opens: "
                            "put the file in content/ and use {static}/name")
    return list(dict.fromkeys(problems))
