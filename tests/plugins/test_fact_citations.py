"""Promise: every fact cites its source. The evidence-records rule (evidence.problems, its one
owner) on small synthetic HTML as Markdown writes it: on a page of facts each statement cites, or
its list's lead-in ("...:") does; and the line an editor is shown for it (content_rules.source_line)."""

from datetime import date
from pathlib import Path

import pytest

from plugins.content_rules import evidence
from plugins.content_rules.content_rules import source_line
from plugins.content_rules.html_policy import parse

MARK = '<sup><a class="footnote-ref" href="#fn-a">1</a></sup>'
NOTES = '<div class="footnote"><ol><li id="fn-a"><p>Source A.</p></li></ol></div>'
UNCITED = "this statement cites no source"


def uncited(html, article=True):
    """The start of each problem but a missing record (no records here): which rule, and what it saw."""
    units = list(evidence.units(parse(html + NOTES)))
    page, _ = evidence.problems(units, [], Path("page.evidence.toml"), {"a": None}, {}, date(2026, 12, 7), article)
    return [problem.split(" (")[0] for _, problem in page if "has no evidence record" not in problem]


def test_each_paragraph_list_item_table_cell_and_definition_cites():
    assert uncited(f"<p>Cited.{MARK}</p><ul><li>Cited.{MARK}</li></ul>"
                   f"<table><tr><th>Row</th><td>Cited.{MARK}</td></tr></table><dl><dt>Term</dt><dd>Cited.{MARK}</dd></dl>"
                   ) == []
    blocks = "<p>A.</p><ul><li>B.</li></ul><table><tr><th>Row</th><td>C.</td></tr></table><dl><dd>D.</dd></dl>"
    assert uncited(blocks) == [UNCITED] * 4


def test_a_cited_lead_in_covers_its_list_but_a_list_whose_items_all_cite_leaves_its_lead_in_a_fact():
    assert uncited(f"<p>Side effects include:{MARK}</p><ul><li>feeling sick</li><li>a fast heartbeat</li></ul>") == []
    assert uncited(f"<p>Side effects include:</p><ul><li>feeling sick{MARK}</li><li>a fast heartbeat{MARK}</li></ul>"
                   ) == [UNCITED]


def test_a_list_borrows_no_citation_from_an_uncited_lead_in():
    assert uncited(f"<p>Side effects include:</p><ul><li>feeling sick</li><li>a fast heartbeat{MARK}</li></ul>") == [
        UNCITED, UNCITED]
    # A sentence that does not end with ':' introduces nothing.
    assert uncited(f"<p>Side effects.{MARK}</p><ul><li>feeling sick</li></ul>") == [UNCITED]


def test_a_page_that_cites_nothing_is_a_page_of_facts_only_if_it_is_an_article():
    assert uncited("<p>Cite a source by writing <code>[^label]</code>.</p>", article=False) == []
    assert uncited("<p>Cite a source by writing <code>[^label]</code>.</p>") == [UNCITED]
    assert uncited(f"<p>Cited.{MARK}</p><p>Not cited.</p>", article=False) == [UNCITED]


def test_a_list_inside_an_advice_block_is_advice():
    assert uncited('<div class="checklist advice"><ol><li>Who will watch me?</li></ol></div>') == []
    assert uncited('<div class="checklist advice"><ol><li>Is it 9 in 10?</li></ol></div>') == [
        "this advice states a number"]
    assert uncited('<div class="checklist"><ol><li>It works.</li></ol></div>') == [UNCITED]


def test_advice_needs_no_citation_but_may_state_no_number():
    assert uncited('<p class="advice">Ask your doctor.</p>') == []
    assert uncited('<p class="advice">Ask your doctor: 9 in 10 feel better.</p>') == ["this advice states a number"]


@pytest.mark.parametrize("html", [
    '<div class="footnote"><ol><li id="fn-a"><p>Smith 2020.</p></li></ol></div>',  # the references themselves
    f"<ul><li><p>Cited.{MARK}</p></li></ul>",  # a block of blocks: its inner blocks are what is checked
    "<p> </p>",
])
def test_references_containers_and_empty_blocks_are_not_facts(html):
    assert uncited(html) == []


SOURCE = """\
Title: Side effects include
Summary: What side effects include, and how often.

Intro.[^a]

Side effects *include*
feeling sick.

See [the risks](#risks).
"""


def test_a_problem_names_the_line_of_the_markdown_it_comes_from(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(SOURCE, "utf-8")
    assert source_line(page, "Side effects include feeling sick.") == 6  # the words, not the metadata's Title
    assert source_line(page, "(#risks)") == 9  # Markdown as written
    assert source_line(page, "Nowhere in the page") is None


def test_an_item_s_own_words_before_its_nested_list_are_its_lead_in():
    assert uncited(f"<ul><li>Side effects include:{MARK}<ul><li>feeling sick</li></ul></li></ul>") == []
    assert uncited(f"<ul><li>Side effects include:<ul><li>feeling sick{MARK}</li></ul></li></ul>") == [UNCITED]
    assert uncited("<ul><li>Side effects include:<ul><li>feeling sick</li></ul></li></ul>") == [UNCITED, UNCITED]
    # An empty paragraph inside an item hides none of its words; a loose item is read by its paragraphs.
    assert uncited("<ul><li>A made-up fact.<p></p></li></ul>") == [UNCITED]
    assert uncited(f"<ul><li><p>Cited.{MARK}</p><p>Not cited.</p></li></ul>") == [UNCITED]


def test_a_cited_lead_in_covers_loose_items_and_lists_nested_under_its_items():
    lead_in = f"<p>Ketamine has these effects:{MARK}</p>"
    assert uncited(lead_in + "<ul><li><p>feeling sick</p></li><li><p>a fast heartbeat</p></li></ul>") == []
    assert uncited(lead_in + "<ul><li>On the mind:<ul><li>dissociation</li><li>vivid dreams</li></ul></li></ul>") == []
    assert uncited(lead_in + "<ul><li><p>During an infusion:</p><ul><li>On the mind:<ul><li>dissociation</li>"
                             "</ul></li></ul></li></ul>") == []
    # Without the citation, every level is refused.
    assert len(uncited("<p>Effects:</p><ul><li>On the mind:<ul><li>dissociation</li></ul></li></ul>")) == 3


def test_code_in_an_item_is_a_statement_of_its_own():
    assert uncited(f"<ul><li><p>The code is below.{MARK}</p><pre><code>NDC 42023-113</code></pre></li></ul>") == [
        UNCITED]


def test_a_header_or_term_with_nothing_under_it_is_a_statement_and_a_label_may_not_cite():
    one_column = "<table><thead><tr><th>What it shows</th></tr></thead><tbody>" \
                 "<tr><th scope='row'>It is safe in pregnancy.</th></tr></tbody></table>"
    assert uncited(one_column) == [UNCITED]
    empty_column = "<table><thead><tr><th>Drug</th><th>It is safe</th></tr></thead><tbody>" \
                   "<tr><th scope='row'>Ketamine</th><td></td></tr></tbody></table>"
    assert uncited(empty_column) == [UNCITED, UNCITED]  # the empty column's header, and a row of nothing
    assert uncited("<dl><dt>It is safe in pregnancy.</dt><dt>You can drive home.</dt><dd></dd></dl>") == [
        UNCITED, UNCITED]
    assert uncited(f"<dl><dt>Placebo</dt><dd>A dummy treatment.{MARK}</dd></dl>") == []
    assert uncited(f"<h2>Pregnancy{MARK}</h2>") == ["this label cites a source"]
