"""Checks on the Markdown sources before Pelican reads them: the files in content/, each file's
characters, its metadata (CONTENT_SCHEMA) and the door (markup_problems). Each yields problems."""

import datetime
import difflib
import fnmatch
import os
import re
import stat
import unicodedata
from pathlib import Path

from .evidence import RECORDS_SUFFIX

# Python-Markdown's meta extension: "Key: value" lines and indented continuations, up to any other.
META_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
META_MORE = re.compile(r"^[ ]{4,}(.*)$")
IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(\s*([^)\s]*)")
# Characters that hide or reorder text (a bidirectional override turns "25 mg" into "gm 52"):
# controls, format characters (zero-width and tag ones too), separators, private-use and unassigned
# code points, and default-ignorable marks (variation selectors...). INVISIBLE is a quick filter.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}
IGNORABLE_MARKS = re.compile("[\u034f\u17b4\u17b5\u180b-\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
INVISIBLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\xac\xae-\u02ff]")
# What only draws an emoji ("👩‍⚕️", "ℹ️") hides nothing: a text or emoji selector after anything
# but a letter (after one, it would split a word for the checks), a zero-width joiner between pictographs.
PICTOGRAPH = "[\u2600-\u27bf\U0001f000-\U0001faff]"
EMOJI_JOINER = re.compile(f"(?<![^\\W\\d_])[\ufe0e\ufe0f]|(?<={PICTOGRAPH})\u200d(?={PICTOGRAPH})")
# Greek letters like no Latin one, alone ("β-blocker"), and a micro sign before a unit ("µg"): what
# science writes in English. A letter that can pass for a Latin one (Cyrillic а, Greek ο) never.
SCIENTIFIC_SYMBOL = re.compile("[βγδεζθλμξπςστφψωΓΔΘΛΞΠΣΦΨΩ\u00b5]|[\u00b5\u03bc][A-Za-z]+")
CONFLICT_MARKER = re.compile(r"^(<{7}|>{7}|\|{7})(?: |$)")  # what git leaves when a merge stops
FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.md")  # one an editor can type and every tool shows
FIRST_YEAR = 2000
# The door: Markdown passes HTML, comments and entities to the page as written, so any is refused,
# by line, in a code span too (a page shows no code). A page's one HTML is a box of paragraphs,
# `<div class="..." markdown="1">` and `</div>` each a whole line, of CONTENT_CLASSES; attribute
# lists only add those classes (`{: .advice }`). Autolinks (<https://...>) are judged as links.
MARKUP = re.compile(r"<[A-Za-z/!?][^<>]{0,60}>?|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
AUTOLINK = re.compile(r"<https?://[^<>\s\"']*>")
BOX_START = re.compile(r'<div class="([^"<>&]*)" markdown="1">')
BOX_END = "</div>"
# Any brace but Pelican's own link forms ({filename}, {static}, {index}), which are not text.
BRACES = re.compile(r"\{(?!(?:filename|static|index)\})[^}\n]*\}?")
CLASSES_SETTING = "CONTENT_CLASSES in pelicanconf.py"
ADMONITION = re.compile(r"[ ]{0,3}(!!!|\?\?\?\+?)[ \t]")  # the admonition and details syntax, not read here
CLASS_LIST = re.compile(r"\{:?[ ]*((?:\.[a-z][a-z-]*[ ]*)+)\}")


def read_text(path):
    """(text, problem): the file as UTF-8 text without a byte-order mark, or why it cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return None, f"cannot be read ({error.strerror})"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        return None, f"line {line}: is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it with UTF-8 encoding"
    return text.removeprefix("\ufeff"), None


def hidden_characters(text):
    """The characters in `text` that hide or reorder text, in order (the rendered page's too)."""
    if not any(unicodedata.category(c) in HIDDEN_CATEGORIES or IGNORABLE_MARKS.match(c)
               for c in set(INVISIBLE.findall(text))):  # most texts have none: no need to place them
        return []
    return [c for c in dict.fromkeys(INVISIBLE.findall(EMOJI_JOINER.sub("", text)))
            if unicodedata.category(c) in HIDDEN_CATEGORIES or IGNORABLE_MARKS.match(c)]


def character_name(character):
    return f"U+{ord(character):04X} ({unicodedata.name(character, 'control character').lower()})"


def invisible_characters(text):
    if not hidden_characters(text):  # the whole text first: most files have none to place
        return
    for number, line in enumerate(text.split("\n"), 1):
        for character in hidden_characters(line):
            yield f"line {number}: invisible character {character_name(character)} can hide or reorder text; delete it"


# Latin letters with no accent to take off that are letters of real words and names; any other
# Latin letter with no plain base letter ("ı", "ɑ", "ɡ") only looks like one of a-z.
LATIN_OWN_LETTERS = set("ßæøłđðþœÆØŁĐÐÞŒ")
# Every space character (Zs) but a plain or no-break one, and symbols drawn blank (braille, a null note).
ODD_SPACE = re.compile("[\u1680\u2000-\u200a\u202f\u205f\u3000\u2800\U0001d159]")


def latin(c):
    """Is `c` a letter of a-z's own alphabet: itself, or with an accent (NFKD gives its base)? Never a
    compatibility form, which is another letter's look-alike (ligature 'ﬁ', long 'ſ', 'ᵢ', Roman 'ⅾ')."""
    return c.isascii() or c in LATIN_OWN_LETTERS or (
        unicodedata.name(c, "").startswith("LATIN ") and unicodedata.normalize("NFKD", c)[0].isascii()
        and unicodedata.is_normalized("NFKC", c))


def letter(c):
    return c.isalpha() or unicodedata.category(c) == "Nl"  # Nl: a letter-like numeral, such as 'ⅾ'


def lookalike_letters(text):
    """A combining mark, a letter of another script that looks Latin (Cyrillic 'а' for 'a'), or an odd
    space: each hides a word from every check that looks for it."""
    if unicodedata.is_normalized("NFC", text) and not ODD_SPACE.search(text) and all(
            latin(c) or not (letter(c) or unicodedata.combining(c)) for c in set(text)):
        return  # the whole text first: most files have none to place
    for number, line in enumerate(text.split("\n"), 1):
        if unicodedata.normalize("NFC", line) != line or any(unicodedata.combining(c) for c in line):
            yield f"line {number}: a letter is written with a combining mark: type the accented letter itself"
        if space := ODD_SPACE.search(line):
            yield f"line {number}: {character_name(space[0])} is not a plain space: retype it"
        for word in re.findall(r"[^\W\d_]+", line):  # a word, or its part before a hyphen
            foreign = [c for c in word if letter(c) and not latin(c)]
            if foreign and not SCIENTIFIC_SYMBOL.fullmatch(word):
                yield (f"line {number}: {character_name(foreign[0])} is not a Latin letter, though it may look like "
                       "one: retype the word")


def markup_problems(text, classes, marker=None):
    """The door (MARKUP): one problem a line; and the references' `marker` may not stand in a box."""
    boxes = []  # the lines of the boxes still open
    for number, line in enumerate(re.split(r"\r\n?|\n", text), 1):  # line ends as Markdown reads them
        line = line.rstrip()
        # Without backslashes too: Markdown drops the one in "&\#x202E;", then writes the entity.
        unlinked = AUTOLINK.sub("", line)
        markup = MARKUP.search(unlinked) or MARKUP.search(unlinked.replace("\\", ""))
        braces = [b[0] for b in BRACES.finditer(line) if not (listed := CLASS_LIST.fullmatch(b[0]))
                  or {name.lstrip(".") for name in listed[1].split()} - classes]
        if box := BOX_START.fullmatch(line):
            if not box[1].split() or set(box[1].split()) - classes:
                yield f"line {number}: a box of class '{box[1]}', which is not one of the site's ({CLASSES_SETTING})"
        elif line == BOX_END and not boxes:
            yield f"line {number}: '{BOX_END}' closes no box ('<div class=\"...\" markdown=\"1\">' above it)"
        elif line == BOX_END:
            boxes.pop()
        elif line.strip() == marker and (boxes or line != marker):  # indented, it lands in a list item
            yield (f"line {number}: '{marker}' is inside a box or indented: put it at the start of a line at the "
                   "end of the page, outside any box")
        elif ADMONITION.match(line):
            yield (f"line {number}: '{line.strip()[:30]}' is an admonition, which this site does not read: "
                   f"write a box ('<div class=\"callout\" markdown=\"1\">', then '{BOX_END}')")
        elif markup and markup[0].startswith("&"):
            backslash_note = "" if markup[0] in line else ", though a backslash splits it"
            yield f"line {number}: '{markup[0]}' is an HTML entity{backslash_note}: type the character itself, or words"
        elif markup:
            yield (f"line {number}: '{markup[0]}' is HTML: a page is Markdown, and its one HTML is a box "
                   f"('<div class=\"advice\" markdown=\"1\">', then '{BOX_END}', each a line of its own)")
        elif braces:
            yield (f"line {number}: '{braces[0][:40]}' is an attribute list that does more than add one of the "
                   f"site's classes ({CLASSES_SETTING}), like '{{: .advice }}'")
        if line.startswith("<div") and BOX_END not in line:  # a box, even refused: its end is no second mistake
            boxes.append(number)
    for number in boxes:
        yield f"line {number}: this box is never closed: end it with '{BOX_END}' on a line of its own"


# A citation anywhere; a definition where Markdown would read one: at a line's start, after any
# indentation and list or quote marks ("They found[^x]:" is a citation before a colon).
CITATION = re.compile(r"\[\^([^\]\n]*)\]")
DEFINITION = re.compile(r"^(?:[ \t]*(?:>|[-*+]|\d+[.)]))*[ \t]*(?:\[\^([^\]\n]*)\]|\*\[([^\]\n]+)\]):")
CODE_SPAN = re.compile(r"(`+).*?\1")


def citation_problems(body, first_line, labels):
    """A page cites the shared references and defines none (Markdown would show a definition
    written in a page as text): each label's first mistake, by line. A code span is not read (this
    Markdown has no fenced blocks: a ``` line is text)."""
    found = {}  # (kind, label): its first line
    for number, line in enumerate(body, 1):
        line = CODE_SPAN.sub("", line)
        if definition := DEFINITION.match(line):
            kind = "defines" if definition[1] is not None else "abbreviation"
            found.setdefault((kind, definition[1] or definition[2]), number + first_line - 1)
        for label in CITATION.findall(line):
            found.setdefault(("cites", label), number + first_line - 1)
    defined = {label for kind, label in found if kind == "defines"}  # told as that, not as unknown too
    for (kind, label), number in found.items():
        if kind == "abbreviation":
            yield (f"line {number}: defines the abbreviation {label} itself: abbreviations are defined once, "
                   "in content/abbreviations.md")
        elif kind == "defines":
            yield (f"line {number}: defines the reference [^{label}] itself: every source is written once, "
                   "in content/references.md")
        elif label not in labels and label not in defined:
            yield f"line {number}: cites [^{label}], which is not in the shared references (content/references.md)"


def parse_metadata(text):
    """([(key, value)], body lines) as Python-Markdown's meta extension reads them."""
    lines = text.split("\n")
    pairs = []
    for index, line in enumerate(lines):
        if index == 0 and line.strip() == "---":
            continue
        if match := META_LINE.match(line):
            pairs.append((match[1].lower(), match[2].strip()))
        elif pairs and (more := META_MORE.match(line)):
            key, value = pairs[-1]
            pairs[-1] = (key, f"{value} {more[1].strip()}")
        else:
            return pairs, lines[index:]
    return pairs, []


def metadata_problems(pairs, kind, settings, today):
    """The metadata against CONTENT_SCHEMA and METADATA_FORMATS."""
    schema = settings["CONTENT_SCHEMA"][kind]
    known = (*schema["required"], *schema["optional"])
    metadata = {}
    meant = set()  # keys a misspelling stands for: their absence is that one mistake
    for key, value in pairs:
        label = key.capitalize()
        if key == "status" and value.lower() == "draft":
            yield ("is marked 'Status: draft', and Pelican would still publish it (at drafts/); keep unfinished pages "
                   "out of content/ until they are ready")
        elif key not in known:
            hint = difflib.get_close_matches(key, known, n=1)
            meant.update(hint)
            yield (f"unknown metadata key '{label}': did you mean '{hint[0].capitalize()}'?" if hint else
                   f"unknown metadata key '{label}' ({kind}s may have: {', '.join(k.capitalize() for k in known)})")
        elif key in metadata:
            yield f"'{label}:' is given twice"
        else:
            metadata[key] = value
    for key in schema["required"]:
        if not metadata.get(key) and key not in meant:
            yield f"has no '{key.capitalize()}:' line in its metadata"
    for key, value in metadata.items():
        pattern, told = settings["METADATA_FORMATS"][key]
        if value and not re.fullmatch(pattern, value):
            yield f"'{key.capitalize()}: {value if len(value) <= 40 else value[:40] + '...'}' must be {told}"
    dates = {}
    for key in ("date", "modified", "reviewed", "next_review"):
        try:
            dates[key] = datetime.date.fromisoformat(metadata[key])
        except (KeyError, ValueError):
            if key in metadata and re.fullmatch(settings["METADATA_FORMATS"][key][0], metadata[key]):
                yield f"'{key.capitalize()}: {metadata[key]}' is not a real date"
    if ("reviewed" in metadata) != ("next_review" in metadata) and "reviewed" not in schema["required"]:
        yield "has only one of 'Reviewed:' and 'Next_review:': give both, or neither"
    if "date" in dates and "modified" in dates and dates["modified"] < dates["date"]:
        yield f"'Modified: {dates['modified']}' is before 'Date: {dates['date']}'"
    if "reviewed" in dates and "next_review" in dates:
        reviewed, next_review, interval = dates["reviewed"], dates["next_review"], settings["REVIEW_INTERVAL_DAYS"]
        if next_review <= reviewed:
            yield f"'Next_review: {next_review}' is not after 'Reviewed: {reviewed}'"
        elif (next_review - reviewed).days > interval:
            yield (f"'Next_review: {next_review}' is more than {interval} days after 'Reviewed: {reviewed}': "
                   "every page is checked against its sources at least once a year")
    for key, value in dates.items():
        if value.year < FIRST_YEAR:
            yield f"'{key.capitalize()}: {value}' is before {FIRST_YEAR}: check the year"
        elif value > today and key != "next_review":
            meaning = ("a review date is the day the page was checked" if key == "reviewed"
                       else "a page is dated the day it was written or changed")
            yield f"'{key.capitalize()}: {value}' is after today: {meaning}"
    if "[^" in metadata.get("summary", ""):
        yield "'Summary:' cites a source ([^...]): a summary is shown where its references are not; cite in the page"


def source_problems(path, kind, settings, today, labels):
    """Problems in one article or page source; `labels`: the shared references'."""
    if (size := os.path.getsize(path)) > settings["MAX_SOURCE_BYTES"]:
        yield f"is {size:,} bytes, over the limit of {settings['MAX_SOURCE_BYTES']:,}"
        return
    text, problem = read_text(path)
    if problem:
        yield problem
        return
    if lone := re.search(r"\r(?!\n)", text):  # Markdown ends a line there; the checks below would not
        yield (f"line {text.count(chr(10), 0, lone.start()) + 1}: a carriage return alone ends a line here: save the "
               "file with ordinary line ends (LF or CRLF)")
        return
    yield from invisible_characters(text)
    yield from lookalike_letters(text)
    if text.split("\n", 1)[0].strip() == "---":
        yield ("line 1: starts with '---' (YAML front matter): metadata here is 'Key: value' lines at the top of "
               "the file, ended by a blank line, with no '---' around them")
        return
    for number, line in enumerate(text.split("\n"), 1):
        if CONFLICT_MARKER.match(line):
            yield f"line {number}: a merge-conflict marker ('{line[:7]}'): resolve the conflict and delete the markers"
    yield from markup_problems(text, settings["CONTENT_CLASSES"], settings["FOOTNOTE_PLACE_MARKER"])
    pairs, body = parse_metadata(text)
    yield from metadata_problems(pairs, kind, settings, today)
    yield from citation_problems(body, text.count("\n") + 2 - len(body), labels)
    marker, lines = settings["FOOTNOTE_PLACE_MARKER"], [line.strip() for line in body]
    if any(marker in line and line != marker for line in lines):
        yield f"'{marker}' must be a line of its own: the references are put where it stands"
    if marker in lines and any(line != BOX_END for line in lines[lines.index(marker) + 1:] if line):
        yield f"text after '{marker}' would never be shown: move it above the References heading"
    for image in IMAGE_WITHOUT_ALT.findall(text):  # Pelican itself only warns, mid-read
        yield f"image '{image}' has no alt text: describe it, e.g. ![Bar chart of ...]({image})"


def editor_file(name, settings):
    """An editor's lock, swap or backup file (IGNORE_FILES): Pelican skips it, and so do the rules."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings["IGNORE_FILES"])


def tree_problems(settings):
    """(path, problem) for what in content/ Pelican would skip or follow silently."""
    root = Path(settings["PATH"])
    content_folders = [root / folder for folder in (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"])]
    folders = f"{', '.join(str(f.relative_to(root)) for f in content_folders)}/"
    shared_files = {Path(root, settings[key]).resolve()
                    for key in ("REFERENCES_FILE", "ABBREVIATIONS_FILE", "REFERENCES_READ_FILE")}
    images, signatures, unreadable, pictures = root / settings["IMAGES_PATH"], settings["IMAGE_SIGNATURES"], [], []
    for folder, subfolders, files in os.walk(root, onerror=unreadable.append):  # into no linked folder
        for name in sorted(subfolders + [f for f in files if not editor_file(f, settings)]):
            path = Path(folder, name)
            info = os.lstat(path)
            is_folder = stat.S_ISDIR(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                yield path, "is a symbolic link: put the file itself in content/"
            elif not stat.S_ISREG(info.st_mode) and not is_folder:
                yield path, "is not a regular file (a pipe, socket or device): delete it"
            elif not os.access(path, os.R_OK | (os.X_OK if is_folder else 0)):
                yield path, "cannot be read: check its permissions"
            elif images in path.parents and is_folder:  # one folder: one name, one EPUB id each
                yield path, f"is a folder inside {settings['IMAGES_PATH']}/: put pictures directly in it"
            elif images in path.parents:  # checked cheapest first: a large file is never read
                signature = signatures.get(path.suffix)
                if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", path.stem):  # its address: one an editor can type
                    yield path, ("has a name other than lower-case letters, digits and hyphens: rename it, like "
                                 "'pain-scale.png'")
                elif signature is None:
                    yield path, (f"is not a picture the site publishes (a {', '.join(signatures)} file): convert it, "
                                 "or move it out")
                elif info.st_size > settings["IMAGE_MAX_BYTES"]:
                    yield path, (f"is {info.st_size} bytes, over the {settings['IMAGE_MAX_BYTES']} a picture may have "
                                 "(it loads after the text, on slow phones too): make it smaller")
                elif not path.read_bytes().startswith(signature):
                    yield path, f"is not the {path.suffix[1:].upper()} picture its name says: save it again as one"
                else:
                    pictures.append(path)
            elif not is_folder and path.resolve() not in shared_files:
                in_content = any(folder_path in path.parents for folder_path in content_folders)
                if in_content and name.endswith(RECORDS_SUFFIX):
                    if not Path(folder, records_of := name.removesuffix(RECORDS_SUFFIX) + ".md").is_file():
                        yield path, (f"holds evidence records for {records_of}, which does not exist: "
                                     "rename or delete it")
                    # Its quotes are published on the evidence page: no character may hide or reorder them.
                    yield from ((path, p) for p in invisible_characters(path.read_text("utf-8", errors="replace")))
                elif in_content and path.suffix != ".md":
                    yield path, (f"is not a Markdown (.md) file: only .md files, and their evidence records "
                                 f"(name{RECORDS_SUFFIX}), belong in {folders}; pictures in {settings['IMAGES_PATH']}/")
                elif not in_content and path.suffix == ".md":
                    yield path, "is not in articles/ or pages/, so it would not be published"
                elif not in_content:
                    yield path, (f"is not used by the build: content/ holds pages (.md) in {folders}, pictures in "
                                 f"{settings['IMAGES_PATH']}/, and the shared references and abbreviations")
                elif not FILE_NAME.fullmatch(name):
                    yield path, ("has a file name other than lower-case letters, digits and hyphens, ending in .md: "
                                 "rename it, like 'my-page.md'")
    yield from ((error.filename, "cannot be read") for error in unreadable)
    # Pelican publishes every file in the pictures' folder: one no page links would be published unseen.
    # The pages' own files only (no pipe or link, refused above; no editor's lock file, never read).
    pages = " ".join(read_text(p)[0] or "" for f in content_folders for p in f.rglob("*.md")
                     if pictures and stat.S_ISREG(os.lstat(p).st_mode) and not editor_file(p.name, settings))
    for picture in pictures:  # named as Pelican reads a link to it: after {static}
        if not re.search(r"\{static\}[^\s()\[\]]*" + re.escape(f"{settings['IMAGES_PATH']}/{picture.name}"), pages):
            yield picture, "is shown on no page, and would be published unseen: show it on a page, or delete it"


def theme_problems(theme):
    """A link in the theme: Pelican would publish the file it points to, from anywhere, as the site's own."""
    return [(path, "is a symbolic link: put the file itself in the theme")
            for path in sorted(Path(theme).rglob("*")) if path.is_symlink()]
