"""Evidence records: every statement a reader sees stands beside its source's own words.

A page's records are in the file beside it, `name.evidence.toml` for `name.md` (TOML: Python
reads it with no extra package). Each `[[fact]]` holds the statement as the reader sees it
(`says`) and, for each source it cites, a `[[fact.source]]`: the reference label (`cites`), a
short verbatim `quote`, where it was read (`read_at`) and when (`checked`); `derivation` says how a
number in the statement follows from its quotes ("76%" is "about 3 in 4"). A `[[site]]` record
holds a statement about the site itself (who writes it, how it is checked): no source, no number.
`content/references-read.toml` holds each quoted reference's whole citation as its quotes were
read, so a changed DOI, title, year or version stops the build until the source is read again.

Labels (headings, table headers, definition terms, captions, note titles) and advice
(`{: .advice }`, on the block or around it) need no record, and may hold no number in any form.
Every other block of words needs a record (on a page of facts, an article or a page that cites, a
[[fact]] quoting what it cites: so every fact cites), and an edit to a fact, one that flips its
meaning included, fails until someone reads the source again and writes the new words beside it.
"""

import difflib
import functools
import re
import tomllib
import unicodedata
from collections import namedtuple
from datetime import date
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlsplit

from .html_policy import host_allowed
from .shared_references import WORD_JOINER

RECORDS_SUFFIX = ".evidence.toml"
LABEL_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "dt", "caption", "figcaption"}
# Blocks whose own words a reader sees: each is a label, advice, or a statement with a record.
UNIT_TAGS = LABEL_TAGS | {"p", "li", "td", "dd", "pre", "blockquote", "div"}
ADVICE_CLASS = "advice"  # `{: .advice }`: advice, or what a page covers; no medical fact
CONTAINERS = {"ul", "ol", "dl", "table", "thead", "tbody", "tr"}
SHOWN_ATTRIBUTES = {"alt", "title", "data-label", "aria-label"}
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "once": 1, "twice": 2, "thrice": 3, "single": 1, "double": 2, "triple": 3,
    "dozen": 12, "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 1_000_000, "couple": 2,
    "half": Fraction(1, 2), "halves": Fraction(1, 2), "halve": Fraction(1, 2), "halved": Fraction(1, 2),
    "third": Fraction(1, 3), "thirds": Fraction(1, 3), "quarter": Fraction(1, 4), "quarters": Fraction(1, 4),
    "fifth": Fraction(1, 5), "fifths": Fraction(1, 5), "doubled": 2, "doubles": 2, "tripled": 3, "fold": 1,
    "fortnight": 14, "percent": 100, "cent": 100,
}
# Digits (any script: \d is Unicode), a decimal point or comma between them; or a word.
NUMBER = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
NO_ONE = re.compile(r"\bno[ -]one\b", re.I)  # "no one knows": nobody, not a number
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A reference's one link, for its evidence page.
LINK = re.compile(r"<(https://[^>\s]+)>")
FACT_KEYS = {"says", "source", "derivation"}
SOURCE_KEYS = {"cites", "quote", "unread", "read_at", "checked"}

# kind: label, advice or statement; needle: its own words, to find its line in the Markdown.
Unit = namedtuple("Unit", "kind text cites lead_in section needle")
Quote = namedtuple("Quote", "cites quote unread read_at checked")
Record = namedtuple("Record", "kind says sources derivation line")


# Replaced one by one: str.replace is some 40 times faster than str.translate with a table of them.
TYPED = {**dict.fromkeys("\u2018\u2019\u201b", "'"), **dict.fromkeys("\u201c\u201d\u201f", '"'),
         **dict.fromkeys("\u2013\u2014\u2212", "-"), "\u2026": "..."}.items()


def plain_marks(text):
    """Typographic quotes, dashes and ellipses as typed (NFC, not NFKC: that reads "2\u00b9\u00b9" as "211")."""
    text = unicodedata.normalize("NFC", text)
    for typographic, typed in TYPED:
        text = text.replace(typographic, typed)
    return text


def plain(text):
    """Words as compared: plain_marks, spaces collapsed."""
    return " ".join(plain_marks(text).split())


# Remembered: the same quotes are read for each page that holds their statements. A pure
# function of its text, so what it keeps between builds changes no verdict.
@functools.lru_cache(maxsize=1 << 16)
def numbers(text):
    """Every number the words state, as values: "76%", "seventy-six", "\u00bd", "twice", "1,000"."""
    found = set()
    for token in NUMBER.findall(NO_ONE.sub("", text)):
        if token[0].isdigit():  # "1,000" is a thousand; "7,6" and "7.6" are seven point six
            digits = re.sub(r",(?=\d{3}\b)", "", token).replace(",", ".")
            found.update(Fraction(part) for part in re.findall(r"\d+(?:\.\d+)?", digits))
            if digits.count(".") == 1:
                found.add(Fraction(digits))
        elif token.casefold() in NUMBER_WORDS:
            found.add(Fraction(NUMBER_WORDS[token.casefold()]))
        else:  # a fraction or numeral written as one character: "\u00bd", "\u2163"
            found.update(Fraction(unicodedata.numeric(c)).limit_denominator(1000) for c in token
                         if unicodedata.numeric(c, None) is not None)
    found.update(Fraction(unicodedata.numeric(c)).limit_denominator(1000) for c in text
                 if unicodedata.category(c) == "No")
    return frozenset(found)


def shown_number(value):
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


# Reading the page.

def units(root):
    """Unit of each block of words on a rendered page, in order, outside its references."""
    section = ""
    for block in root.iter(*UNIT_TAGS, *CONTAINERS):
        if block.xpath("ancestor-or-self::div[@class='footnote']"):
            continue
        if block.tag in CONTAINERS:  # a list or table holds blocks, never words of its own
            if stray := plain(" ".join([block.text or "", *(child.tail or "" for child in block)])):
                yield Unit("statement", stray, (), (), section, stray)
            continue
        needle, inline = own_part(block)
        # What a reader is also shown or read out: an image's alt text, a title, a cell's phone label.
        text = plain(" ".join([needle, *(f"({value})" for element in inline for node in element.iter()
                                         for name, value in node.attrib.items()
                                         if name in SHOWN_ATTRIBUTES and node.tag != "abbr")]))
        if block.tag in ("h2", "h3"):
            section = text
        if not text:
            continue
        classes = " ".join(block.xpath("ancestor-or-self::*/@class")).split()
        if block.tag in LABEL_TAGS and not labels_nothing(block):
            kind = "label"
        elif ADVICE_CLASS in classes:
            kind = "advice"
        else:
            kind = "statement"
        yield Unit(kind, in_context(block, text), tuple(dict.fromkeys(marks(inline))),
                   tuple(dict.fromkeys(lead_in_marks(block))), section, needle)


def labels_nothing(block):
    """A table header or a term with no words under it (a one-column table, an empty column, a
    term with no definition): what it says, it says on its own, as a statement."""
    def has_words(cells):
        return any("".join(cell.itertext()).strip() for cell in cells)
    if block.tag == "dt":
        following = next((s for s in block.itersiblings() if s.tag != "dt"), None)  # terms may share it
        return following is None or following.tag != "dd" or not has_words([following])
    if block.tag != "th":
        return False
    row = block.getparent()
    if row.getparent() is not None and row.getparent().tag == "thead":  # a column's header: its column
        column = list(row).index(block)
        return not has_words([r[column] for r in row.xpath("ancestor::table[1]/tbody/tr") if len(r) > column])
    return not has_words([cell for cell in row if cell is not block])


# What a block holds that is not its own words: blocks read on their own, code, headings.
INNER_BLOCKS = {"p", "ul", "ol", "dl", "table", "div", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}


def own_part(block):
    """(a block's own words, the inline elements they are in): outside the blocks it holds and its
    citation marks. A list item's words before its nested list are its own."""
    words, inline = [block.text or ""], []
    for child in block:
        if child.tag not in INNER_BLOCKS:
            words.append("" if child.tag == "sup" else "".join(child.itertext()))  # a mark is no words
            inline.append(child)
        words.append(child.tail or "")
    return " ".join("".join(words).replace(WORD_JOINER, "").split()), inline


def marks(inline):
    """The reference labels of the citation marks among a block's inline elements."""
    return [link.get("href", "").removeprefix("#fn-") for element in inline for link in element.iter("a")
            if link.get("class") == "footnote-ref"]


def lead_in_marks(block):
    """The labels cited by the words that introduce a list item's list ("...:": a paragraph just
    before the list, or the item it is nested in), however deep the lists nest: they cover it."""
    item = block if block.tag == "li" else block.getparent() if block.tag == "p" else None
    items = item.getparent() if item is not None and item.tag == "li" else None
    if items is None:
        return []
    before, outer = items.getprevious(), items.getparent()
    if before is not None and before.tag == "p" and own_part(before)[0].endswith(":"):
        lead_in = before
    elif outer is not None and outer.tag == "li" and own_part(outer)[0].endswith(":"):
        lead_in = outer
    else:
        return []
    return [*marks(own_part(lead_in)[1]), *lead_in_marks(lead_in)]


def in_context(block, text):
    """A table cell or a definition as a reader takes it in: with its row's header and its column's
    (as a phone shows it, data-label) or its term ("Cancer pain, Strength of evidence: Weak or
    none"; "Placebo: A dummy treatment..."), so a changed header or term changes the statement too."""
    row = block.getparent()
    if block.tag == "dd":
        term = block.getprevious()
        while term is not None and term.tag != "dt":
            term = term.getprevious()
        return f"{plain(''.join(term.itertext()))}: {text}" if term is not None else text
    if block.tag != "td" or row is None:
        return text
    cells = list(row)
    header = row.xpath("(ancestor::table[1]/thead/tr)[1]")
    column = header[0][cells.index(block)] if header and len(header[0]) > cells.index(block) else None
    names = [plain("".join(cells[0].itertext())) if cells[0].tag == "th" else None,
             block.get("data-label") or (plain("".join(column.itertext())) if column is not None else None)]
    names = [name for name in names if name]
    return f"{', '.join(names)}: {text}" if names else text


# Reading the records.

def read_records(path):
    """([Record], [problem]) of one records file; no file is no records."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeError) as error:
        return [], [f"cannot be read as UTF-8 text ({error.__class__.__name__})"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        return [], [f"{f'line {found[1]}: ' if found else ''}is not valid TOML: {str(error).split(' (at')[0]}"]
    lines = [" ".join(line.split()) for line in plain_marks(text).split("\n")]  # each line as plain() reads it

    def line_of(says, after=0):
        """The line where `says` begins, after line `after` (records come in file order)."""
        first = plain(says)[:25]
        return next((n for n, line in enumerate(lines[after:], after + 1) if first and first in line), 0)

    records, problems, last_line = [], [], 0
    for key in data.keys() - {"fact", "site"}:
        problems.append(f"'{key}' is not a kind of record: write [[fact]] or [[site]]")
    for kind in ("fact", "site"):
        entries = data.get(kind, [])
        for entry in entries if isinstance(entries, list) else [entries]:
            says = entry.get("says")
            line = (line_of(says, last_line) or line_of(says)) if isinstance(says, str) else 0
            last_line = max(last_line, line)
            where = f"line {line}: " if line else ""
            allowed = FACT_KEYS if kind == "fact" else {"says"}
            if not isinstance(says, str) or not says.strip():
                problems.append(f"{where}a [[{kind}]] record has no 'says' (the statement as the reader sees it)")
                continue
            if unknown := sorted(entry.keys() - allowed):
                problems.append(f"{where}a [[{kind}]] record has {', '.join(unknown)}: "
                                f"it holds only {', '.join(sorted(allowed))}")
            quotes = []
            for source in entry.get("source", []) if kind == "fact" else []:
                problem = source_problem(source)
                if problem:
                    problems.append(f"{where}{problem}")
                else:
                    quotes.append(Quote(source["cites"], plain(source.get("quote", "")), source.get("unread"),
                                        source["read_at"], source["checked"]))
            if kind == "fact" and not entry.get("source"):
                problems.append(f"{where}a [[fact]] has no [[fact.source]]: a fact stands on a source's own words")
            says = plain(says)
            if same := next((r for r in records if r.says == says and r.kind == kind
                             and {q.cites for q in r.sources} == {q.cites for q in quotes}), None):
                problems.append(f"{where}a second record of '{says[:50]}' (the first is on line "
                                f"{same.line}): keep one")
                continue
            records.append(Record(kind, says, quotes, plain(entry.get("derivation", "")), line))
    return records, problems


def source_problem(source):
    if not isinstance(source, dict):
        return "a source is a [[fact.source]] table"
    if unknown := sorted(source.keys() - SOURCE_KEYS):
        return f"a [[fact.source]] has {', '.join(unknown)}: it holds only {', '.join(sorted(SOURCE_KEYS))}"
    if not isinstance(source.get("cites"), str):
        return "a [[fact.source]] has no 'cites' (the label of its reference in content/references.md)"
    if not (source.get("quote", "").strip() or source.get("unread", "").strip()):
        return (f"the source [^{source['cites']}] needs a 'quote' (its own words, as read), or 'unread' (what "
                "in the statement its readable words do not cover, and why), or both")
    if not re.match(r"https?://", str(source.get("read_at", ""))):
        return f"the source [^{source['cites']}] needs 'read_at': the address where it was read, and where in it"
    if not isinstance(source.get("checked"), date):
        return f"the source [^{source['cites']}] needs 'checked': the day it was read, as YYYY-MM-DD (no quotes)"
    return None


# Checking a page against its records.

def problems(units_of_page, records, records_path, references, cited_years, today, article=False):
    """[(needle, problem)] of a page, and [(line, problem)] of its records file. A page of facts
    (an article, or a page that cites) holds no statement about the site: each cites its source."""
    page, in_records = [], []
    name = records_path.name
    statements = [unit for unit in units_of_page if unit.kind == "statement"]
    facts_page = article or any(unit.cites for unit in units_of_page)
    for unit in units_of_page:
        if unit.kind == "advice" and unit.cites:
            page.append((unit.needle, f"this advice cites a source ('{unit.text[:50]}'): what a source says is a "
                         "fact; drop the {: .advice } mark and give it its evidence record"))
        if unit.kind == "label" and unit.cites:  # it would publish a reference no record quotes
            page.append((unit.needle, f"this label cites a source ('{unit.text[:50]}'): a heading, header, term or "
                         "caption names what it labels; state the fact in a sentence that cites it, with its record"))
        if unit.kind != "statement" and (found := numbers(unit.text)):
            page.append((unit.needle, f"this {'advice' if unit.kind == 'advice' else 'label'} states a number "
                         f"('{shown_number(min(found))}' in '{unit.text[:50]}'): a number is a fact; state it in a "
                         "sentence that cites its source and has its evidence record"))
    matched = {}
    for unit in statements:
        record = matching_record(unit, records)
        if record is None:
            continue
        matched[unit] = record
        page.extend((unit.needle, problem) for problem in record_problems(unit, record, references, cited_years, today))
        if record.kind == "site" and facts_page:
            page.append((unit.needle, "a page that cites sources holds no statement about the site: a statement "
                         "here is a fact, with its [[fact]] record"))
    unmatched = [record for record in records if not any(record is r for r in matched.values())]
    for unit in statements:
        if unit in matched:
            continue
        near = max(unmatched, key=lambda record: likeness(record.says, unit.text), default=None)
        if near and likeness(near.says, unit.text) >= 0.6:
            unmatched.remove(near)
            page.append((unit.needle, f"'{unit.text[:50]}' changed since it was checked against its source: read the "
                         f"source again and update the record (line {near.line} of {name})"))
        elif facts_page and not unit.cites and not unit.lead_in:
            page.append((unit.needle, f"this statement cites no source ('{unit.text[:50]}'): cite it with [^label] "
                         f"and give it a record in {name} with the source's own words, or mark advice that "
                         "states no fact with {: .advice }"))
        else:
            page.append((unit.needle, f"'{unit.text[:50]}' has no evidence record: add one to {name} with its "
                         "source's own words, or mark advice that states no fact with {: .advice }"))
    for record in unmatched:
        in_records.append((record.line, f"the statement '{record.says[:50]}' is no longer on its page: delete "
                           "the record, or put the statement back"))
    return page, in_records


def likeness(says, text):
    """0 to 1: how much of a record's words a statement keeps, in order (autojunk off: it would
    ignore the commonest letters of any statement over 200 characters)."""
    matcher = difflib.SequenceMatcher(None, says, plain(text), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(says), 1)


def matching_record(unit, records):
    """The record of a statement: one that says the same words; of two (a table's "Weak or none"),
    the one that quotes the sources it cites."""
    text = plain(unit.text)
    same = [record for record in records if record.says == text]
    cited = {*unit.cites, *unit.lead_in}
    return next((r for r in same if {quote.cites for quote in r.sources} <= cited), same[0] if same else None)


def record_problems(unit, record, references, cited_years, today):
    if record.kind == "site":
        if unit.cites or unit.lead_in:
            yield "a statement about the site cites a source: a fact needs a [[fact]] record with its quote"
        if found := numbers(unit.text):
            yield (f"a statement about the site states a number ('{shown_number(min(found))}'): a number is a "
                   "fact, so give it a [[fact]] record with its quote")
        return
    # Its own citations each need their source's words; a list item cited by the words that
    # introduce its list ("...:") needs the words of one of theirs.
    quoted = {quote.cites for quote in record.sources}
    stray = sorted(quoted - set(unit.cites) - set(unit.lead_in))
    unquoted = [label for label in unit.cites if label not in quoted and label in references]
    if stray and unquoted:  # one mistake, one line: a citation moved to another source
        yield (f"cites [^{'], [^'.join(unquoted)}] where its record quotes [^{'], [^'.join(stray)}]: the words "
               "were checked against another source; read the one it cites and quote it")
        stray = unquoted = []
    for label in stray:
        yield (f"its record quotes [^{label}], which the statement does not cite: cite it, or read the "
               "source the statement cites")
    for label in unquoted:
        yield f"cites [^{label}], but its record has no quote from it: read it and add a [[fact.source]]"
    if not unit.cites and unit.lead_in and not quoted & set(unit.lead_in):
        yield (f"its list is cited by [^{'], [^'.join(unit.lead_in)}], but its record quotes none of them: "
               "read one and add a [[fact.source]]")
    for quote in record.sources:
        if quote.checked > today:
            yield f"its quote from [^{quote.cites}] was checked on {quote.checked}, a day still to come"
    stated = set().union(*(numbers(quote.quote) for quote in record.sources), numbers(record.derivation),
                         *(cited_years.get(label, set()) for label in (*unit.cites, *unit.lead_in)))
    for value in sorted(numbers(unit.text) - stated):
        yield (f"the number '{shown_number(value)}' is in none of its quotes: quote the words that give it, or say "
               "in 'derivation' how it follows from them")


def reference_problems(references, read, quoted_labels):
    """[(line in references.md, problem)] for each quoted reference changed since its quotes were read."""
    for label in sorted(quoted_labels):
        definition = references.get(label)
        if definition is None:
            continue
        now = plain(definition.text)  # the whole citation: no word a page shows of its source changes unread
        if label not in read:
            yield definition.number, (f"[^{label}] is quoted in evidence records but not in references-read.toml: "
                                      "once its quotes are read, copy its citation there")
        elif plain(read[label]) != now:
            yield definition.number, (f"[^{label}] changed since its quotes were read (it was '{read[label]}'): "
                                      "read the source again, update the records that quote it, then its line in "
                                      "references-read.toml")


def abbreviation_problems(abbreviations, statements):
    """[(line, problem)] for each abbreviation whose meaning no statement spells out: the meaning a
    tooltip shows is words of a page, checked there with their record, never free text of its own."""
    said = " ".join(plain(statement).casefold() for statement in statements)
    for label, definition in abbreviations.items():
        if plain(definition.text).casefold() not in said:
            yield definition.number, (f"the meaning of {label}, '{definition.text[:60]}', is spelled out in no "
                                      "statement of any page: write it where a page first uses it (with its "
                                      "evidence record), word for word")


def where_read(read_at, domains):
    """Where a quote was read, as its evidence page says it: an address on an allowed source
    (SOURCE_DOMAINS) as it is; another (a mirror, a pharmacy's or a blog's copy, a publisher's page)
    by its place in the source alone, so no page names a business or an unvetted site (its address
    stays in the record)."""
    address, _, place = read_at.partition(" ")
    if urlsplit(address).scheme == "https" and host_allowed(address, domains):
        return f"read at {read_at}"
    return f"read on another site {place}".strip()


def records_path(page_path):
    return Path(page_path).with_suffix(RECORDS_SUFFIX)
