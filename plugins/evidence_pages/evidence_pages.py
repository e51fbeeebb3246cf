"""Write each page's evidence page (EVIDENCE_SAVE_AS): its statements, section by section, beside
the source's words and link, from its records (`content.evidence`). No Pelican plugin knows them."""

from itertools import groupby
from urllib.parse import urlsplit

from content_rules.html_policy import host_allowed
from pelican import signals
from pelican.generators import Generator


def where_read(read_at, domains):
    """Where a quote was read, as the page says it: an address on an allowed source (SOURCE_DOMAINS)
    as it is; another (a mirror, a pharmacy's or a blog's copy, a publisher's page) by its place in the source
    alone, so no page names a business or an unvetted site (its address stays in the record)."""
    address, _, place = read_at.partition(" ")
    if urlsplit(address).scheme == "https" and host_allowed(address, domains):
        return f"read at {read_at}"
    return f"read on another site {place}".strip()


class EvidenceGenerator(Generator):
    def generate_output(self, writer):
        domains = self.settings["SOURCE_DOMAINS"]
        for content in [*self.context["articles"], *self.context["pages"], *self.context.get("hidden_pages", [])]:
            if not getattr(content, "evidence", None):
                continue
            sections = [(section, [record for _, record in facts])
                        for section, facts in groupby(content.evidence, key=lambda pair: pair[0])]
            writer.write_file(content.evidence_url, self.get_template("evidence"), self.context,
                              relative_urls=self.settings["RELATIVE_URLS"], evidence_of=content,
                              sections=sections, where_read=lambda read_at: where_read(read_at, domains))


def add_generator(pelican):
    return EvidenceGenerator


def register():
    signals.get_generators.connect(add_generator)
