"""Give templates each page's structure: `contents_list`, the (id, text) of its h2 headings and its
warning signs (WARNING_SIGNS_ID), for "On this page"; `citations`, the (text, url) of each reference
it cites, for the JSON-LD; the filters `main_message` and `after_main_message`, so a template shows a
page's leading main message before the notes and contents; and after each `{: .icon-array }`
paragraph, a picture of its two "N in 100" numbers, drawn from its own checked words (hidden from
screen readers, which read the paragraph). Ours because no maintained Pelican plugin exposes
Markdown's table of contents or footnotes to templates, or draws an icon array."""

import lxml.html
from content_rules.html_policy import icon_numbers
from pelican import signals
from pelican.contents import Article, Page


def has_class(name):
    """XPath: the element's class attribute lists `name` (the editions plugin uses it too)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


ICON_ARRAY = '<p class="icon-array">'


def icon_grid(shown):
    """A 10 by 10 grid of dots, one a person: the first `shown` large. Each kind is one path whose
    dashes are dots, in the text's colour with no stylesheet: the same on screen, paper and e-reader."""
    def rows(first, last):  # the dots first..last-1 (first < last), as "move to the row, draw along it"
        steps = ""
        for row in range(first // 10, (last + 9) // 10):
            start, end = max(first, row * 10), min(last, row * 10 + 10)
            steps += f"M{6 + 12 * (start % 10)} {6 + 12 * row}h{12 * (end - start - 1)}"
        return steps
    dots = 'fill="none" stroke="currentColor" stroke-linecap="round" stroke-dasharray="0 12"'
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120">'
            + (f'<path d="{rows(0, shown)}" stroke-width="10" {dots}/>' if shown else "")
            + (f'<path d="{rows(shown, 100)}" stroke-width="5" {dots}/>' if shown < 100 else "")
            + f"</svg><span>{shown} in 100</span>")


def icon_arrays(html):
    """The page's HTML with a picture after each icon-array paragraph, which ends at the first </p> (a
    page writes no HTML: the door); its numbers are read as the check read them (icon_numbers)."""
    parts = html.split(ICON_ARRAY)
    for index in range(1, len(parts)):
        paragraph, end, rest = parts[index].partition("</p>")
        shown = icon_numbers(lxml.html.fragment_fromstring(ICON_ARRAY + paragraph + end))
        grids = "".join(f'<span class="icon-grid">{icon_grid(n)}</span>' for n in shown)
        parts[index] = f'{paragraph}{end}<figure class="icon-array" aria-hidden="true">{grids}</figure>{rest}'
    return ICON_ARRAY.join(parts)


def add_icon_arrays(generators):
    """Once every page is read and checked (content_rules reads what content wrote, not this)."""
    for generator in generators:
        for attribute in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
            for content in getattr(generator, attribute, []):
                if content._content:
                    content._content = icon_arrays(content._content)


def add_page_structure(content):
    if not isinstance(content, (Article, Page)) or not content._content:
        return
    root = lxml.html.fragment_fromstring(content._content, create_parent="div")
    # Its h2 sections, and the warning signs after a session (an h3) where the page has them.
    sections = root.xpath(f".//h2[@id] | .//h3[@id='{content.settings['WARNING_SIGNS_ID']}']")
    content.contents_list = [(h.get("id"), " ".join(h.text_content().split())) for h in sections]
    content.citations = []
    for note in root.xpath(f".//div[{has_class('footnote')}]//li[@id]"):
        text = "".join(note.xpath(f".//text()[not(ancestor::*[{has_class('footnote-backref')}])]"))
        links = note.xpath(".//a[starts-with(@href, 'https://')]/@href")
        content.citations.append((" ".join(text.split()), links[0] if links else None))


MAIN_MESSAGE = '<div class="main-message">'


def split_main_message(html):
    """(the page's leading main-message block, the rest): it holds no div (content_rules), so ends at the first."""
    if not html.lstrip().startswith(MAIN_MESSAGE):
        return "", html
    message, end, rest = html.partition("</div>")
    return message + end, rest


def add_filters(generator):
    generator.env.filters.update(main_message=lambda html: split_main_message(html)[0],
                                 after_main_message=lambda html: split_main_message(html)[1])


def register():
    signals.content_object_init.connect(add_page_structure)
    signals.generator_init.connect(add_filters)
    signals.all_generators_finalized.connect(add_icon_arrays)
