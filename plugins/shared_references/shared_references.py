"""Cite sources from one shared list: `[^label]` in any page pulls in the matching
`[^label]: full citation` from REFERENCES_FILE, so each citation is written once. The
abbreviations in ABBREVIATIONS_FILE are shared the same way, through Markdown's abbr extension.
(content_rules checks both files first, and reports their mistakes one line each.)

It also keeps one back-link per reference, named "Back to where reference N is cited":
Python-Markdown adds one for every time a source is cited, and a row of 25 identical "↩"
links is noise to a screen reader.

Ours because no maintained plugin lets Markdown footnotes share definitions across
pages. An unknown label is left as it is, as literal "[^label]" text, which the
content_rules plugin reports with the page's file name.
"""

import re
from pathlib import Path

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pelican import signals

DEFINITION = re.compile(r"^\[\^([^\]]+)\]:")
REFERENCE = re.compile(r"\[\^([^\]]+)\](?!:)")
WORD_JOINER_ENTITY = "&#8288;"
CITATION_MARK = re.compile(r'(<sup(?: id="[^"]*")?>)(<a class="footnote-ref")')
ABBREVIATION = re.compile(r"^\*\[([^\]]+)\]:(.*)$")


def read_definitions(path):
    """{label: definition line} from a file of Markdown footnote definitions."""
    definitions = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        match = DEFINITION.match(line)
        if not match:
            raise ValueError(f"{path}:{number}: not a reference definition ('[^label]: citation')")
        if match[1] in definitions:
            raise ValueError(f"{path}:{number}: reference label '{match[1]}' is defined twice")
        definitions[match[1]] = line
    return definitions


class SharedReferencesPreprocessor(Preprocessor):
    def __init__(self, md, definitions):
        super().__init__(md)
        self.definitions = definitions

    def run(self, lines):
        defined = {m[1] for line in lines if (m := DEFINITION.match(line))}
        cited = dict.fromkeys(label for line in lines for label in REFERENCE.findall(line))
        missing = [label for label in cited if label not in defined and label in self.definitions]
        return lines + [""] + [self.definitions[label] for label in missing]


class OneBacklinkTreeprocessor(Treeprocessor):
    def run(self, root):
        marks = {sup.get("id"): sup for sup in root.iter("sup") if sup.get("id")}
        for footnotes in root.iter("div"):
            if "footnote" not in footnotes.get("class", "").split():
                continue
            for paragraph in footnotes.iter("p"):
                backlinks = [a for a in paragraph if a.tag == "a" and a.get("class") == "footnote-backref"]
                if backlinks:  # named for a screen reader, which reads the link's "↩" text, not its title
                    backlinks[0].set("aria-label", backlinks[0].attrib.pop("title", "Back to the text"))
                for extra in backlinks[1:]:
                    paragraph.remove(extra)
                    # Nothing links to that citation mark any more: its id is dead weight.
                    mark = marks.get(extra.get("href", "").lstrip("#"))
                    if mark is not None:
                        del mark.attrib["id"]


class CitationMarkJoiner(Postprocessor):
    """A word joiner opens each citation mark, so a line never breaks just before it: "[3]"
    never starts a line, as if it belonged to the next sentence. Written as an entity: one
    character above U+00FF in a page makes Python keep the whole page at two bytes a character,
    and Pelican keeps every page in memory."""

    def run(self, text):
        return CITATION_MARK.sub(rf"\1{WORD_JOINER_ENTITY}\2", text)


class SharedReferencesExtension(Extension):
    def __init__(self, definitions):
        super().__init__()
        self.definitions = definitions

    def extendMarkdown(self, md):
        # Before the footnotes extension reads definitions (its preprocessing is block-level).
        md.preprocessors.register(SharedReferencesPreprocessor(md, self.definitions), "shared_references", 28)
        # After the footnotes extension adds a back-link per citation ("footnote-duplicate", 15).
        md.treeprocessors.register(OneBacklinkTreeprocessor(md), "one_backlink", 14)
        md.postprocessors.register(CitationMarkJoiner(md), "citation_mark_joiner", 5)


def read_abbreviations(path):
    """{abbreviation: meaning} from a file of Markdown abbreviation definitions."""
    return {match[1]: match[2].strip() for line in path.read_text("utf-8").splitlines()
            if (match := ABBREVIATION.match(line))}


def add_extension(pelican):
    settings = pelican.settings
    definitions = read_definitions(Path(settings["PATH"], settings["REFERENCES_FILE"]))
    settings["MARKDOWN"].setdefault("extensions", []).append(SharedReferencesExtension(definitions))
    abbr = settings["MARKDOWN"].setdefault("extension_configs", {}).setdefault("markdown.extensions.abbr", {})
    abbr["glossary"] = read_abbreviations(Path(settings["PATH"], settings["ABBREVIATIONS_FILE"]))


def register():
    signals.initialized.connect(add_extension)
