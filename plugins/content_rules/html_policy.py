"""What rendered content may contain: the elements and attributes Markdown makes on this
site, and links that stay in the site or go over https to an allowed source.

nh3 (the binding to the Rust sanitizer ammonia) is the policy engine for elements and
attributes: we ask it what it would remove, and report that, never cleaning silently.
URLs get our own rules, because the sanitizer allows any relative URL, and "relative"
includes `//clinic.example/` and backslash tricks a browser reads as another host.
"""

import re
from collections import Counter
from urllib.parse import urlsplit

import lxml.html
import nh3

# What Python-Markdown, its extensions and our plugins produce here.
ALLOWED_ELEMENTS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "a", "em", "strong",
    "abbr", "sup", "code", "pre", "blockquote", "hr", "br", "img", "div", "table", "caption",
    "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"scope"},
    "ol": {"start"},
}
# Every attribute a browser follows or loads as a URL. Checked by url_problem on every element.
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "cite", "background",
                  "longdesc", "usemap", "ping", "manifest", "codebase", "archive", "icon", "xlink:href")
# Of those, what a browser loads by itself as the page opens: only files of the site's own.
LOADED_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "manifest", "icon", "codebase", "archive"}
# Pelican's own link forms: a wrong target stops the build (checked in content_rules).
INTRASITE = re.compile(r"^\{(filename|static|index)\}")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Browsers drop these anywhere in a URL, so "java\tscript:" is "javascript:".
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


def host_allowed(url, domains):
    """Is the URL's host one of `domains` (SOURCE_DOMAINS) or a subdomain of one?"""
    host = urlsplit(url).hostname or ""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def url_problem(url, domains):
    """Why a URL in content is refused, or None. Allowed: {filename}/{static}/{index} links,
    #fragments, and https links to an allowed host."""
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
    parts = urlsplit(plain)
    if "@" in parts.netloc:
        return f"link '{url}' hides its real host after a user name ('@')"
    if not host_allowed(plain, domains):
        return (f"link to '{url}': {parts.hostname} is not an allowed source "
                "(SOURCE_DOMAINS in pelicanconf.py: research and official bodies only, no clinics or businesses)")
    return None


def urls_of(element, attribute):
    value = element.get(attribute) or ""
    if attribute == "srcset":  # "a.png 1x, b.png 2x"
        return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    return [value]


def html_problems(html, domains):
    """One line per thing in rendered content that the policy refuses."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    problems = [f"HTML comment '<!--{c.text.strip()[:40]}-->' would be published: delete it"
                for c in root.iter(lxml.etree.Comment)]
    cleaned = lxml.html.fragment_fromstring(
        nh3.clean(html, tags=ALLOWED_ELEMENTS, attributes=ALLOWED_ATTRIBUTES, link_rel=None,
                  url_schemes={"https"}, strip_comments=True),
        create_parent="div")
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    kept = Counter(e.tag for e in cleaned.iter() if isinstance(e.tag, str))
    refused = Counter(e.tag for e in elements) - kept
    reported = set()  # the outermost refused elements: what they hold goes with them
    for element in elements[1:]:
        if any(ancestor in reported for ancestor in element.iterancestors()):
            refused[element.tag] -= 1
        elif refused[element.tag] > 0 and element.tag not in ALLOWED_ELEMENTS:
            refused[element.tag] -= 1
            reported.add(element)
            problems.append(f"<{element.tag}> is not allowed in content "
                            "(only what Markdown writes: paragraphs, lists, links, tables...)")
    problems += [f"<{tag}> would be removed by the sanitizer: check the HTML around it"
                 for tag, count in sorted(refused.items()) if count > 0]
    kept_attributes = Counter((e.tag, name, value) for e in cleaned.iter() if isinstance(e.tag, str)
                              for name, value in e.attrib.items())
    for element in elements[1:]:
        if element in reported or any(ancestor in reported for ancestor in element.iterancestors()):
            continue
        for name, value in element.attrib.items():
            if name in URL_ATTRIBUTES:
                continue  # url_problem's, below
            if kept_attributes[(element.tag, name, value)] > 0:
                kept_attributes[(element.tag, name, value)] -= 1
            elif name == "style" and element.tag in ("th", "td"):
                problems.append("a table column is aligned (':---:'), which needs a style= attribute: use plain '---'")
            else:
                problems.append(f"<{element.tag} {name}=\"{value[:40]}\"> is not allowed: "
                                "content may not carry scripts, styles or event handlers")
        for name in URL_ATTRIBUTES:
            for url in urls_of(element, name) if element.get(name) is not None else ():
                if (problem := url_problem(url, domains)) is not None:
                    problems.append(problem)
                elif name in LOADED_ATTRIBUTES and not INTRASITE.match(IGNORED_IN_URLS.sub("", url)):
                    problems.append(f"'{url}' would be loaded from another site as the page opens: "
                                    "put the file in content/ and use {static}/name")
    return list(dict.fromkeys(problems))
