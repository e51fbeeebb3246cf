"""Write each page's evidence page (EVIDENCE_SAVE_AS): its statements, section by section, beside
the source's words and link, from its records (`content.evidence`). No Pelican plugin knows them."""

from itertools import groupby

from content_rules.evidence import where_read
from pelican import signals
from pelican.generators import Generator


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
