"""What rendered content may contain, behind the door (sources.py refuses any markup a page
writes beyond Markdown): the sanitizer nh3 (ammonia), as a backstop, judges the elements and
attributes our Markdown extensions write, and what it would remove is reported, never cleaned
silently. A link's href and an image's src get our own rules, since the sanitizer allows any
relative URL, `//clinic.example/` and backslash tricks included.
"""

import re
from collections import Counter
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import nh3

from .shared_references import WORD_JOINER

# What Python-Markdown, its extensions and our plugins write here.
ALLOWED_ELEMENTS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "a", "em", "strong",
                    "abbr", "sup", "code", "pre", "blockquote", "hr", "br", "img", "div", "table", "caption",
                    "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"*": {"id", "class"}, "a": {"href", "title", "aria-label"}, "abbr": {"title"},
                      "img": {"src", "alt", "title"}, "th": {"scope"}, "td": {"data-label"}, "ol": {"start"}}
# The URL attributes content may have, checked by url_problem; the sanitizer reports any other.
URL_ATTRIBUTES = {"a": "href", "img": "src"}
# Far deeper than any page needs (the article: 8 levels), far below where a parser gives up.
MAX_DEPTH = 40
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
    return [int(n) for n in PER_100.findall(" ".join(text.replace(WORD_JOINER, "").split()))]
# Pelican's own link forms: a wrong target stops the build (checked in content_rules).
INTRASITE = re.compile(r"^\{(filename|static|index)\}")
# What follows one: a path in content/ ({index}: none) and a #section; Pelican keeps any host,
# scheme or query written after it ("{index}//clinic.example/"), so nothing else may follow.
PATH = r"/?[\w.-]+(?:/[\w.-]+)*"  # one way to read each path: no backtracking on a refused one
INTRASITE_REST = {"filename": re.compile(rf"{PATH}(?:#[\w-]*)?"), "static": re.compile(PATH),
                  "index": re.compile(r"(?:#[\w-]*)?")}
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


# A web address written as text, where a reader sees it: with its scheme, from www., or a bare IP.
WEB_ADDRESS = re.compile(r"(?i)\bhttps?://[^\s()<>\"']+|\bwww\.[^\s()<>\"']+|\b\d{1,3}(?:\.\d{1,3}){3}\b")


def addresses_off_the_list(text, domains):
    """The web addresses `text` shows whose host is not an allowed source: a page or an evidence page
    may name a business or a bare server in no form, linked or not."""
    return [address.rstrip(".,;:") for address in WEB_ADDRESS.findall(text)
            if not host_allowed(address if "://" in address else f"https://{address}", domains)]


def host_allowed(url, domains):
    """Is the URL's host one of `domains` (SOURCE_DOMAINS) or a subdomain of one?"""
    host = urlsplit(url).hostname or ""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def url_problem(url, domains):
    """Why a URL in content is refused, or None: {filename}/{static}/{index} links, #fragments and
    https links to an allowed host pass."""
    plain = IGNORED_IN_URLS.sub("", url)
    lowered = plain.lower()
    if intrasite := INTRASITE.match(plain):
        if INTRASITE_REST[intrasite[1]].fullmatch(plain[intrasite.end():]):
            return None
        return (f"link '{url}': after {intrasite[0]} comes only a path in content/ and a #section "
                f"({{filename}}/pages/name.md#section), never a host, scheme or '?'")
    if not plain or plain.startswith("#"):
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


def parse(html):
    """The <body> element holding an HTML fragment. lxml does not parse as browsers do (HTML5), but
    behind the door content is only what Markdown writes, which both read alike."""
    return lxml.html.fragment_fromstring(html, create_parent="body")


def inventory(root):
    """Each element, with its attributes other than the URLs url_problem judges."""
    return Counter((element.tag, tuple(sorted((name, value) for name, value in element.items()
                                              if URL_ATTRIBUTES.get(element.tag) != name)))
                   for element in root.iter(lxml.etree.Element))


def html_problems(html, domains, root=None):
    """(needle, problem) for each thing in rendered content the policy refuses: the needle, a URL
    as written, finds its line (`root`: the parse, if the caller has it)."""
    root = parse(html) if root is None else root
    problems = []
    depth = max((sum(1 for _ in element.iterancestors()) for element in root.iter()), default=0)
    if depth > MAX_DEPTH:
        problems.append((None, f"elements are nested more than {MAX_DEPTH} levels deep, which no page needs: "
                         "flatten the lists or quotes"))
    cleaned = parse(nh3.clean(html, tags=ALLOWED_ELEMENTS, attributes=ALLOWED_ATTRIBUTES, link_rel=None,
                              url_schemes={"https"}, strip_comments=True))
    for tag, attributes in sorted(inventory(root) - inventory(cleaned)):
        written = "".join(f' {name}="{value[:40]}"' for name, value in attributes)
        aligned = tag in ("th", "td") and "style" in dict(attributes)  # Markdown's own, for '|:---:|'
        problems.append((None, f"<{tag}{written}> would be changed by the sanitizer: " + (
            "a table column is aligned (':---:'), which writes a style: use plain '---'" if aligned else
            "content keeps only the elements and attributes our Markdown writes")))
    for element in root.xpath("//a[@href] | //img[@src]"):
        url = element.get(URL_ATTRIBUTES[element.tag])
        if (problem := url_problem(url, domains)) is not None:
            problems.append((url, problem))
        elif element.tag == "img" and not INTRASITE.match(IGNORED_IN_URLS.sub("", url)):
            problems.append((url, f"image '{url}' would be loaded from another site as the page opens: "
                                   "put the file in content/ and use {static}/name"))
    return list(dict.fromkeys(problems))
