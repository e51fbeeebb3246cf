"""The one grammar of the shared files, read once a build: references.md holds `[^label]: citation
<https://link>` lines, abbreviations.md `*[ABBR]: meaning` lines, each from its first column; blank
lines are ignored, and any other line is a problem."""

import re
from collections import namedtuple
from pathlib import Path

from .html_policy import host_allowed, url_problem
from .sources import invisible_characters, lookalike_letters, markup_problems, read_text

REFERENCE_DEFINITION = re.compile(r"\[\^([^\]\n]+)\]:[ \t]*(.*)")
ABBREVIATION_DEFINITION = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.*)")
# Labels are plain ASCII, so two that look alike (a Cyrillic letter, an accent written as a
# combining mark, an invisible character or a space) can never pass as the same or as different.
LABELS = {
    "reference": (re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
                  "lower-case letters, digits and single hyphens, like 'smith2020'"),
    "abbreviation": (re.compile(r"[A-Za-z0-9][A-Za-z0-9&+./-]*"), "letters and digits with no spaces, like 'CRPS'"),
}
# An address written as text in a citation, outside its one link: a web address or an e-mail.
ADDRESS_IN_TEXT = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                             r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|clinic|health|co|io|us|uk)\b")
LINK_IN_DEFINITION = re.compile(r"<([^>\s]+)>|\]\(([^)\s]+)\)")
DOI_LINK = re.compile(r"^https://doi\.org/(10\.\d{4,9}/\S+)$")

Definition = namedtuple("Definition", "number line text")  # text: what follows the label
# {label: Definition} of each file, and [(path, problem)] for both.
SharedFiles = namedtuple("SharedFiles", "references abbreviations problems")


def read_definitions(path, pattern, what, kind=None):
    """({label: Definition}, [problem]) of one file of one-line definitions."""
    text, problem = read_text(path)
    if problem:
        return {}, [problem]
    problems = [*invisible_characters(text), *markup_problems(text, set())]  # what a page may not write
    if kind == "abbreviation":  # a meaning is a tooltip in plain English: no lookalike letters
        problems += lookalike_letters(text)
    definitions = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = pattern.fullmatch(line)
        if not match:
            start = "; it must start at the beginning of the line" if line[:1].isspace() else ""
            problems.append(f"line {number}: not {what}{start}")
        elif kind and not LABELS[kind][0].fullmatch(match[1]):
            problems.append(f"line {number}: the {kind} label {match[1]!r} must be {LABELS[kind][1]}")
        elif match[1] in definitions:
            problems.append(f"line {number}: '{match[1]}' is defined twice (first on line "
                            f"{definitions[match[1]].number})")
        elif not match[2].strip():
            problems.append(f"line {number}: '{match[1]}' has no text after its ':'")
        else:
            definitions[match[1]] = Definition(number, line, match[2].strip())
    return definitions, problems


def reference_problems(references, source_domains):
    for label, definition in references.items():
        links = [a or b for a, b in LINK_IN_DEFINITION.findall(definition.text)]
        where = f"line {definition.number}: [^{label}]"
        if len(links) != 1:
            yield f"{where} needs exactly one link, <https://...>, found {len(links)}"
        elif problem := url_problem(links[0], source_domains):
            yield f"{where}: {problem}"
        elif "doi.org" in links[0].lower() and not DOI_LINK.match(links[0]):
            yield f"{where}: '{links[0]}' is not a DOI link (https://doi.org/10.NNNN/...)"
        for address in ADDRESS_IN_TEXT.findall(LINK_IN_DEFINITION.sub("", definition.text)):
            if "@" in address or not host_allowed("https://" + address.split("://")[-1], source_domains):
                yield (f"{where}: its text names '{address}', which is not an allowed source: a citation names "
                       "the work, and links to it once")


def read_shared_files(settings):
    """SharedFiles of the content folder the settings name (PATH, REFERENCES_FILE, ABBREVIATIONS_FILE)."""
    references_path = Path(settings["PATH"], settings["REFERENCES_FILE"])
    abbreviations_path = Path(settings["PATH"], settings["ABBREVIATIONS_FILE"])
    references, problems = read_definitions(
        references_path, REFERENCE_DEFINITION, "a reference ('[^label]: citation <https://...>')", "reference")
    problems = [(references_path, p) for p in [*problems, *reference_problems(references, settings["SOURCE_DOMAINS"])]]
    abbreviations, abbreviation_problems = read_definitions(
        abbreviations_path, ABBREVIATION_DEFINITION, "an abbreviation ('*[ABBR]: meaning')", "abbreviation")
    problems += [(abbreviations_path, p) for p in abbreviation_problems]
    return SharedFiles(references, abbreviations, problems)
