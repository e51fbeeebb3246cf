"""The Markdown extension that cites from one shared list: a page's `[^label]` pulls in its shared
definition (shared_files.py, handed over by content_rules as each build starts), and every page gets
the shared abbreviations; an unknown label stays text, which content_rules reports. Ours because no
maintained plugin lets Markdown footnotes share definitions across pages."""

import re

from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

REFERENCE = re.compile(r"\[\^([^\]]+)\]")  # "They found[^x]:" cites x too
WORD_JOINER = "\u2060"  # keeps a citation mark on its sentence's line (CitationMarkJoiner)
CITATION_MARK = re.compile(r'(<sup(?: id="[^"]*")?>)(<a class="footnote-ref")')
shared = None  # this build's shared_files.SharedFiles, set by content_rules as it starts


class SharedReferencesPreprocessor(Preprocessor):
    """Hands the footnotes extension each cited label's shared definition, in citing order, and abbr all."""

    def __init__(self, md, files, footnotes, abbreviations):
        super().__init__(md)
        self.files, self.footnotes, self.abbreviations = files, footnotes, abbreviations

    def run(self, lines):
        references = self.files.references
        for label in dict.fromkeys(label for line in lines for label in REFERENCE.findall(line)):
            if label in references:
                self.footnotes.setFootnote(label, references[label].text)
        self.abbreviations.abbrs.update({label: d.text for label, d in self.files.abbreviations.items()})
        return lines


class OneMarkTreeprocessor(Treeprocessor):
    """One back-link per reference, named for a screen reader (which reads the "↩", not the title),
    where Python-Markdown adds a row of them; and an abbreviation explained where a page first uses
    it, as style guides ask, later ones plain text (a screen reader set to read titles repeats each)."""

    def run(self, root):
        marks = {sup.get("id"): sup for sup in root.iter("sup") if sup.get("id")}
        for footnotes in root.iter("div"):
            if "footnote" not in footnotes.get("class", "").split():
                continue
            for paragraph in footnotes.iter("p"):
                backlinks = [a for a in paragraph if a.tag == "a" and a.get("class") == "footnote-backref"]
                if backlinks:
                    backlinks[0].set("aria-label", backlinks[0].attrib.pop("title", "Back to the text"))
                for extra in backlinks[1:]:
                    paragraph.remove(extra)
                    mark = marks.get(extra.get("href", "").lstrip("#"))
                    if mark is not None:  # no link reaches it any more
                        del mark.attrib["id"]
        first_uses = {abbr.text: abbr for abbr in reversed(list(root.iter("abbr")))}  # reversed: the first wins
        parents = {child: parent for parent in root.iter() for child in parent}
        for abbr in [a for a in root.iter("abbr") if first_uses[a.text] is not a]:
            parent = parents[abbr]
            index = list(parent).index(abbr)
            text = (abbr.text or "") + (abbr.tail or "")
            if index:
                parent[index - 1].tail = (parent[index - 1].tail or "") + text
            else:
                parent.text = (parent.text or "") + text
            parent.remove(abbr)


class CitationMarkJoiner(Postprocessor):
    """A word joiner opens each citation mark, so "[3]" never starts a line as if the next sentence's
    (the character itself: 3 bytes a mark, where its entity takes 7)."""

    def run(self, text):
        return CITATION_MARK.sub(rf"\1{WORD_JOINER}\2", text)


class SharedReferencesExtension(Extension):
    def __init__(self, files=None, **kwargs):
        super().__init__(**kwargs)
        self.files = files

    def extendMarkdown(self, md):
        files = self.files or shared
        if files is None:
            raise RuntimeError("the shared references were not read: the content_rules plugin reads them")
        extensions = {type(extension): extension for extension in md.registeredExtensions}
        if FootnoteExtension not in extensions or AbbrExtension not in extensions:
            raise RuntimeError("name shared_references after the footnotes and abbr extensions in MARKDOWN")
        # Definitions come from the shared files only: one written in a page stays text.
        md.parser.blockprocessors.deregister("footnote")
        md.parser.blockprocessors.deregister("abbr")
        md.preprocessors.register(SharedReferencesPreprocessor(
            md, files, extensions[FootnoteExtension], extensions[AbbrExtension]), "shared_references", 28)
        # After the footnotes extension's back-link per citation ("footnote-duplicate", 15) and abbr's marks (7).
        md.treeprocessors.register(OneMarkTreeprocessor(md), "one_mark", 6)
        md.postprocessors.register(CitationMarkJoiner(md), "citation_mark_joiner", 5)
