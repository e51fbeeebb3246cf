"""Checks on the Markdown sources before Pelican reads them: what is in content/, each file's
encoding and characters, its metadata (CONTENT_SCHEMA in pelicanconf.py), and the door: no
markup but Markdown and the site's boxes (markup_problems). Each yields problems, which
content_rules reports.
"""

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
FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(\s*([^)\s]*)")
# Characters that hide or reorder text: controls, format characters (bidirectional overrides,
# which can turn "25 mg" into "gm 52", zero-width and tag characters), line and paragraph
# separators, private-use and unassigned code points. INVISIBLE is a quick filter for candidates.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}
# Unicode's default-ignorable marks, invisible though not format characters: the combining
# grapheme joiner, Khmer and Mongolian ones, and variation selectors (a text or emoji selector
# after a symbol is its own, taken out first: EMOJI_JOINER).
IGNORABLE_MARKS = re.compile("[\u034f\u17b4\u17b5\u180b-\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
INVISIBLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\xac\xae-\u02ff]")
DATE_FIELDS = ("date", "modified", "reviewed", "next_review")
CONFLICT_MARKER = re.compile(r"^(<{7}|>{7}|\|{7})(?: |$)")  # what git leaves when a merge stops
FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.md")  # one an editor can type and every tool shows
FIRST_YEAR = 2000
# The door: what a page writes beyond Markdown. Markdown passes HTML, comments and entities to the
# page as written, so any is refused here, by line: the one HTML a page holds is a box of
# paragraphs, `<div class="..." markdown="1">` and `</div>`, each a whole line, whose classes are
# CONTENT_CLASSES (pelicanconf.py); attribute lists only add those classes (`{: .advice }`).
# Autolinks (<https://...>) are links, judged as links. A page shows no code, so a tag in a
# code span is refused too.
MARKUP = re.compile(r"<[A-Za-z/!?][^<>]{0,60}>?|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
AUTOLINK = re.compile(r"<https?://[^<>\s\"']*>")
BOX_START = re.compile(r'<div class="([^"<>&]*)" markdown="1">')
BOX_END = "</div>"
# Any brace but Pelican's own link forms ({filename}, {static}, {index}), which are not text.
BRACES = re.compile(r"\{(?!(?:filename|static|index)\})[^}\n]*\}?")
CLASSES_SETTING = "CONTENT_CLASSES in pelicanconf.py"
ADMONITION = re.compile(r"[ ]{0,3}(!!!|\?\?\?\+?)[ \t]")  # the admonition and details syntax, not read here
CLASS_LIST = re.compile(r"\{:?[ ]*((?:\.[a-z][a-z-]*[ ]*)+)\}")
DRAFT = ("is marked 'Status: draft', and Pelican would still publish it (at drafts/); "
         "keep unfinished pages out of content/ until they are ready")


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


# What only chooses how a symbol is drawn, or joins pictographs into one emoji ("👩‍⚕️", "ℹ️",
# "1️⃣"), hides nothing: a text or emoji selector after anything but a letter (after one, it
# would split a word for the checks), and a zero-width joiner between two pictographs.
PICTOGRAPH = "[\u2600-\u27bf\U0001f000-\U0001faff]"
EMOJI_JOINER = re.compile(f"(?<![^\\W\\d_])[\ufe0e\ufe0f]|(?<={PICTOGRAPH})\u200d(?={PICTOGRAPH})")


def hidden_characters(text):
    """The characters in `text` that hide or reorder text, in order (for the rendered page too:
    content_rules.hidden_in_page)."""
    return [c for c in dict.fromkeys(INVISIBLE.findall(EMOJI_JOINER.sub("", text)))
            if (unicodedata.category(c) in HIDDEN_CATEGORIES or IGNORABLE_MARKS.match(c)) and c not in "\t\n\r"]


def character_name(character):
    return f"U+{ord(character):04X} ({unicodedata.name(character, 'control character').lower()})"


def invisible_characters(text):
    """One problem per hidden character, by line: for a source file."""
    for number, line in enumerate(text.split("\n"), 1):
        for character in hidden_characters(line.rstrip("\r")):
            yield f"line {number}: invisible character {character_name(character)} can hide or reorder text; delete it"


def lookalike_letters(text):
    """Letters that are not what they look like: a combining mark (write the letter as one
    character), or a letter from another script, such as Cyrillic 'а' for Latin 'a', which hides
    a word from every check that looks for it."""
    for number, line in enumerate(text.split("\n"), 1):
        if unicodedata.normalize("NFC", line) != line or any(unicodedata.combining(c) for c in line):
            yield f"line {number}: a letter is written with a combining mark: type the accented letter itself"
        for match in re.finditer(r"[^\W\d_]+", line):  # each run of letters: a word, or its part before a hyphen
            word = match[0]
            foreign = [c for c in word if c.isalpha() and not c.isascii()
                       and not unicodedata.name(c, "").startswith("LATIN ")]
            if foreign and not scientific_symbol(word):
                yield (f"line {number}: {character_name(foreign[0])} is not a Latin letter, though it may look like "
                       "one: retype the word")


# Greek letters that look like none of the Latin ones, and the micro sign: what science writes in
# English ("β-blocker", "µg"). A letter that can pass for a Latin one (Cyrillic а, Greek ο) never.
GREEK_SYMBOLS = set("βγδεζθλμξπςστφψωΓΔΘΛΞΠΣΦΨΩ") | {"\u00b5"}


def scientific_symbol(word):
    """A Greek symbol on its own ("β" in "β-blocker") or a micro sign before a Latin unit ("µg")."""
    if len(word) == 1:
        return word in GREEK_SYMBOLS
    return word[0] in "\u00b5\u03bc" and word[1:].isascii()


def outside_code(lines):
    """(number, line) of the lines not inside a fenced code block."""
    fence = None
    for number, line in enumerate(lines, 1):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening[1][0] * len(opening[1])
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None:
            yield number, line


def markup_problems(text, classes, marker=None):
    """The door (MARKUP above): markup a file writes beyond Markdown, one problem a line; and the
    references' `marker`, which may not stand in a box (the references close the page)."""
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
    formats = settings["METADATA_FORMATS"]
    known = (*schema["required"], *schema["optional"])
    metadata = {}
    meant = set()  # keys a misspelling stands for: their absence is that one mistake
    for key, value in pairs:
        label = key.capitalize()
        if key not in known:
            hint = difflib.get_close_matches(key, known, n=1)
            meant.update(hint)
            if key == "status" and value.lower() == "draft":
                yield DRAFT
            elif hint:
                yield f"unknown metadata key '{label}': did you mean '{hint[0].capitalize()}'?"
            else:
                yield f"unknown metadata key '{label}' ({kind}s may have: {', '.join(k.capitalize() for k in known)})"
        elif key in metadata:
            yield f"'{label}:' is given twice"
        else:
            metadata[key] = value
    for key in schema["required"]:
        if not metadata.get(key) and key not in meant:
            yield f"has no '{key.capitalize()}:' line in its metadata"
    for key, value in metadata.items():
        pattern, told = formats.get(key, (None, None))
        if key == "status" and value.lower() == "draft":
            yield DRAFT
        elif pattern and value and not re.fullmatch(pattern, value):
            shown_value = value if len(value) <= 40 else value[:40] + "..."
            yield f"'{key.capitalize()}: {shown_value}' must be {told}"
    dates = {}
    for key in DATE_FIELDS:
        try:
            dates[key] = datetime.date.fromisoformat(metadata[key])
        except (KeyError, ValueError):
            if key in metadata and re.fullmatch(formats[key][0], metadata[key]):
                yield f"'{key.capitalize()}: {metadata[key]}' is not a real date"
    if ("reviewed" in metadata) != ("next_review" in metadata) and "reviewed" not in schema["required"]:
        yield "has only one of 'Reviewed:' and 'Next_review:': give both, or neither"
    if "date" in dates and "modified" in dates and dates["modified"] < dates["date"]:
        yield f"'Modified: {dates['modified']}' is before 'Date: {dates['date']}'"
    if "reviewed" in dates and "next_review" in dates and dates["next_review"] <= dates["reviewed"]:
        yield f"'Next_review: {dates['next_review']}' is not after 'Reviewed: {dates['reviewed']}'"
    for key in ("date", "modified", "reviewed"):
        if key in dates and dates[key] > today:
            meaning = ("a review date is the day the page was checked" if key == "reviewed"
                       else "a page is dated the day it was written or changed")
            yield f"'{key.capitalize()}: {dates[key]}' is after today: {meaning}"
    for key, value in dates.items():
        if value.year < FIRST_YEAR:
            yield f"'{key.capitalize()}: {value}' is before {FIRST_YEAR}: check the year"
    interval = settings["REVIEW_INTERVAL_DAYS"]
    if "reviewed" in dates and "next_review" in dates and (dates["next_review"] - dates["reviewed"]).days > interval:
        yield (f"'Next_review: {dates['next_review']}' is more than {interval} days after 'Reviewed: "
               f"{dates['reviewed']}': every page is checked against its sources at least once a year")
    if "[^" in metadata.get("summary", ""):
        yield "'Summary:' cites a source ([^...]): a summary is shown where its references are not; cite in the page"


def source_problems(path, kind, settings, today):
    """Problems in one article or page source."""
    if os.path.getsize(path) > settings["MAX_SOURCE_BYTES"]:
        yield f"is {os.path.getsize(path):,} bytes, over the limit of {settings['MAX_SOURCE_BYTES']:,}"
        return
    text, problem = read_text(path)
    if problem:
        yield problem
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
    marker, lines = settings["FOOTNOTE_PLACE_MARKER"], [line.strip() for _, line in outside_code(body)]
    if any(marker in line and line != marker for line in lines):
        yield f"'{marker}' must be a line of its own: the references are put where it stands"
    if marker in lines and any(line != BOX_END for line in lines[lines.index(marker) + 1:] if line):
        yield f"text after '{marker}' would never be shown: move it above the References heading"
    for image in IMAGE_WITHOUT_ALT.findall(text):  # Pelican itself only warns, mid-read
        yield f"image '{image}' has no alt text: describe it, e.g. ![Bar chart of ...]({image})"


def image_problem(path, signatures):
    """Why a file in content/images/ cannot be published as a picture, or None."""
    signature = signatures.get(path.suffix)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", path.stem):  # its address: one an editor can type
        return "has a name other than lower-case letters, digits and hyphens: rename it, like 'pain-scale.png'"
    if signature is None:
        return f"is not a picture the site publishes (a {', '.join(signatures)} file): convert it, or move it out"
    with open(path, "rb") as file:
        if not file.read(len(signature)) == signature:
            return f"is not the {path.suffix.lstrip('.').upper()} picture its name says: save it again as one"
    return None


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
    images = root / settings["IMAGES_PATH"]
    problems = []
    for folder, subfolders, files in os.walk(root, onerror=lambda e: problems.append((e.filename, "cannot be read"))):
        for name in sorted(subfolders + [f for f in files if not editor_file(f, settings)]):
            path = Path(folder, name)
            mode = os.lstat(path).st_mode
            if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode) and not stat.S_ISLNK(mode):
                problems.append((path, "is not a regular file (a pipe, socket or device): delete it"))
            elif stat.S_ISLNK(mode):
                problems.append((path, "is a symbolic link: put the file itself in content/"))
            elif not os.access(path, os.R_OK | (os.X_OK if stat.S_ISDIR(mode) else 0)):
                problems.append((path, "cannot be read: check its permissions"))
            elif images in path.parents and stat.S_ISDIR(mode):  # one folder: one name, one EPUB id each
                problems.append((path, f"is a folder inside {settings['IMAGES_PATH']}/: put pictures directly in it"))
            elif stat.S_ISREG(mode) and images in path.parents:
                if (problem := image_problem(path, settings["IMAGE_SIGNATURES"])) is not None:
                    problems.append((path, problem))
                elif os.lstat(path).st_size > settings["IMAGE_MAX_BYTES"]:
                    problems.append((path, f"is {os.lstat(path).st_size} bytes, over the {settings['IMAGE_MAX_BYTES']} "
                                           "a picture may have (it loads after the text, on slow phones too): make it "
                                           "smaller"))
            elif stat.S_ISREG(mode) and path.resolve() not in shared_files:
                in_content = any(folder_path in path.parents for folder_path in content_folders)
                records_of = name.removesuffix(RECORDS_SUFFIX) + ".md"
                if in_content and name.endswith(RECORDS_SUFFIX):
                    if not Path(folder, records_of).is_file():
                        problems.append((path, f"holds evidence records for {records_of}, which does not exist: "
                                               "rename or delete it"))
                    # Its quotes are published on the evidence page: no character may hide or reorder them.
                    problems.extend((path, problem) for problem in
                                    invisible_characters(path.read_text("utf-8", errors="replace")))
                elif in_content and path.suffix != ".md":
                    problems.append((path, f"is not a Markdown (.md) file: only .md files, and their evidence records "
                                           f"(name{RECORDS_SUFFIX}), belong in {folders}; pictures in "
                                           f"{settings['IMAGES_PATH']}/"))
                elif not in_content and path.suffix == ".md":
                    problems.append((path, "is not in articles/ or pages/, so it would not be published"))
                elif not in_content:
                    problems.append((path, f"is not used by the build: content/ holds pages (.md) in {folders}, "
                                           f"pictures in {settings['IMAGES_PATH']}/, "
                                           "and the shared references and abbreviations"))
                elif not FILE_NAME.fullmatch(name):
                    problems.append((path, "has a file name other than lower-case letters, digits and hyphens, "
                                           "ending in .md: rename it, like 'my-page.md'"))
        subfolders[:] = [d for d in subfolders if not os.path.islink(os.path.join(folder, d))]
    return problems


def theme_problems(theme):
    """(path, problem) for a symbolic link in the theme: Pelican would publish the file it points
    to, from wherever it is, as the site's own."""
    return [(path, "is a symbolic link: put the file itself in the theme")
            for path in sorted(Path(theme).rglob("*")) if path.is_symlink()]
