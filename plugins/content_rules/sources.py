"""Checks on the Markdown sources, before Pelican reads them: what is in content/, how each
file is encoded, and what its metadata says (CONTENT_SCHEMA in pelicanconf.py). Each check
yields problems; content_rules reports them. (The shared files' grammar: shared_files.py.)
"""

import datetime
import difflib
import os
import re
import stat
import unicodedata
from pathlib import Path

# Python-Markdown's meta extension: "Key: value" lines, indented continuation lines, up to
# the first line that is neither.
META_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
META_MORE = re.compile(r"^[ ]{4,}(.*)$")
FOOTNOTE_DEFINITION = re.compile(r"^[ ]{0,3}\[\^([^\]]*)\]:")
ABBREVIATION_DEFINITION = re.compile(r"^[ ]{0,3}\*\[([^\]]*)\]:")
FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(\s*([^)\s]*)")
# Characters that hide or reorder text: C0/C1 controls (not tab or line ends), bidirectional
# overrides (U+202E can turn "25 mg" into "gm 52"), zero-width and BOM characters.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
DATE_FIELDS = ("date", "modified", "reviewed", "next_review")


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


def invisible_characters(text):
    for number, line in enumerate(text.splitlines(), 1):
        for match in INVISIBLE.finditer(line.rstrip("\r")):
            character = match.group()
            name = unicodedata.name(character, "control character")
            yield (f"line {number}: invisible character U+{ord(character):04X} ({name.lower()}) "
                   "can hide or reorder text; delete it")


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


def parse_metadata(text):
    """([(key, value)], body lines) as Python-Markdown's meta extension reads them."""
    lines = text.splitlines()
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
    """The metadata against CONTENT_SCHEMA and METADATA_FORMATS; also sets the review state."""
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
                yield ("is marked 'Status: draft', and Pelican would still publish it (at drafts/); "
                       "keep unfinished pages out of content/ until they are ready")
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
            yield ("is marked 'Status: draft', and Pelican would still publish it (at drafts/); "
                   "keep unfinished pages out of content/ until they are ready")
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
    if "reviewed" in dates and dates["reviewed"] > today:
        yield f"'Reviewed: {dates['reviewed']}' is after today: a review date is the day the page was checked"


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
    pairs, body = parse_metadata(text)
    yield from metadata_problems(pairs, kind, settings, today)
    marker = settings["FOOTNOTE_PLACE_MARKER"]
    after_marker = False
    for _, line in outside_code(body):
        if after_marker and line.strip():
            yield f"text after '{marker}' would never be shown: move it above the References heading"
            break
        if line.strip() == marker:
            after_marker = True
        elif match := FOOTNOTE_DEFINITION.match(line):
            yield (f"defines the reference [^{match[1]}] itself: every source is written once, "
                   "in content/references.md")
        elif match := ABBREVIATION_DEFINITION.match(line):
            yield (f"defines the abbreviation {match[1]} itself: "
                   "abbreviations are defined once, in content/abbreviations.md")
    for image in IMAGE_WITHOUT_ALT.findall(text):  # Pelican itself only warns, mid-read
        yield f"image '{image}' has no alt text: describe it, e.g. ![Bar chart of ...]({image})"


def tree_problems(settings):
    """(path, problem) for what in content/ Pelican would skip or follow silently."""
    root = Path(settings["PATH"])
    content_folders = [root / folder for folder in (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"])]
    shared_files = {Path(root, settings[key]).resolve() for key in ("REFERENCES_FILE", "ABBREVIATIONS_FILE")}
    problems = []
    for folder, subfolders, files in os.walk(root, onerror=lambda e: problems.append((e.filename, "cannot be read"))):
        for name in sorted(subfolders + files):
            path = Path(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                problems.append((path, "is a symbolic link: put the file itself in content/"))
            elif not os.access(path, os.R_OK | (os.X_OK if stat.S_ISDIR(mode) else 0)):
                problems.append((path, "cannot be read: check its permissions"))
            elif stat.S_ISREG(mode) and path.resolve() not in shared_files:
                in_content = any(folder_path in path.parents for folder_path in content_folders)
                if in_content and path.suffix != ".md":
                    problems.append((path, "is not a Markdown (.md) file: only .md files belong in "
                                           f"{', '.join(str(f.relative_to(root)) for f in content_folders)}/"))
                elif not in_content and path.suffix == ".md":
                    problems.append((path, "is not in articles/ or pages/, so it would not be published"))
        subfolders[:] = [d for d in subfolders if not os.path.islink(os.path.join(folder, d))]
    return problems
