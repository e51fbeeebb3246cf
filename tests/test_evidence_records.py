"""Promise: a fact cannot change without someone reading its source again. Each dangerous edit a
careless or hostile editor could make (a fact flipped, a number changed, a warning deleted, a
citation moved, a reference's DOI swapped) and an uncited claim wherever it stands stop the build
with one line naming the file and line; the site as it stands builds (every other module builds
it); an edit to advice wording alone still builds. The checker is tested on a few lines too."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import FIRST_ARTICLE_SOURCE, ROOT
from pelican_in_process import Builder

from plugins.content_rules import evidence

ARTICLE = f"content/{FIRST_ARTICLE_SOURCE}"
DECISION = "content/pages/deciding.md"  # its table states numbers outside any pictured comparison
# (the edit, the file, the words as they are, the words after it, the line the build must print).
# "changed" is the line for a statement that no longer says what its source was checked to say.
CHANGED = "changed since it was checked against its source: read the source again and update the record"
EDITS = [
    ("safe in pregnancy", ARTICLE, "the ketamine label does not advise using it in pregnancy",
     "the ketamine label says it is safe in pregnancy", CHANGED),
    ("can be given at home", ARTICLE, "It should not be given at home.", "It can be given at home.", CHANGED),
    ("drive yourself home", ARTICLE, "do not drive, use machines",
     "you can drive yourself home, but do not use machines", CHANGED),
    ("the FDA has approved it for pain", ARTICLE, "the FDA has not approved ketamine for this use",
     "the FDA has approved ketamine for this use", CHANGED),
    ("7.6 for 76", DECISION, "| 76 in 100 had", "| 7.6 in 100 had", CHANGED),
    ("7.6 for 76 in a pictured comparison", ARTICLE, "76 in 100 people", "7.6 in 100 people",
     "an icon-array paragraph ({: .icon-array }, no other class) states two whole numbers"),
    ("2 hours for 24", ARTICLE, "For at least 24 hours", "For at least 2 hours", CHANGED),
    ("strong evidence for cancer pain", ARTICLE, "| Cancer pain | Weak or none", "| Cancer pain | Strong", CHANGED),
    ("a contraindication deleted", ARTICLE, "- an allergy to ketamine[^ketalar]\n", "",
     "the statement 'an allergy to ketamine' is no longer on its page"),
    ("a citation moved", ARTICLE, "For at least 24 hours, do not drive, use machines or do anything risky.[^ketalar]",
     "For at least 24 hours, do not drive, use machines or do anything risky.[^dea1999]",
     "cites [^dea1999] where its record quotes [^ketalar]"),
    ("a reference's DOI swapped", "content/references.md", "10.1016/j.pain.2009.06.023", "10.1016/j.pain.2009.06.024",
     "[^sigtermans2009] changed since its quotes were read"),
    ("a claim added to the About page", "content/pages/about.md", "There are no adverts.",
     "There are no adverts. Ketamine is safe for most people.", CHANGED),
    ("a claim in raw HTML", "content/pages/about.md", "## What this site is not",
     "<p>Ketamine cures pain.</p>\n\n## What this site is not", "is HTML: a page is Markdown"),
    ("a claim in code", "content/pages/about.md", "## What this site is not",
     "    ketamine cures pain\n\n## What this site is not", "has no evidence record"),
    ("a number in a heading", ARTICLE, "## The Bottom Line", "## The Bottom Line: 9 in 10 feel better",
     "this label states a number ('9'"),
    ("a number in a table's caption", ARTICLE, "Table: How strong is the evidence",
     "Table: In 2 of 7 conditions, how strong is the evidence", "this label states a number ('2'"),
    ("a number in the glossary's heading", "content/pages/glossary.md", "## Words and what they mean",
     "## Words and what they mean, in 9 of 10 trials", "this label states a number ('9'"),
    ("a number in words in advice", ARTICLE, "Tell your doctor about all your health conditions",
     "Wait three days, then tell your doctor about all your health conditions", "this advice states a number ('3'"),
    ("a fraction in advice", ARTICLE, "Never stop or change a medicine on your own.",
     "Never stop or change a medicine on your own; take \u00bd a dose.", "this advice states a number ('0.5'"),
    ("a number in the Summary", ARTICLE, "\nSummary: ", "\nSummary: 3 in 4 feel better. ",
     "'Summary:' states a number"),
    ("a number in the menu label", ARTICLE, "\nMenu_label: Ketamine for chronic pain", "\nMenu_label: Helps 9 in 10",
     "'Menu_label:' states a number"),
    # What a reader is shown or read out besides a block's words (a hostile review's finds).
    ("a claim in an image's alt text", ARTICLE, "No one knows how big this risk is",
     "![At pain doses the risk is none]({index}) No one knows how big this risk is", CHANGED),
    ("a claim written straight into a list", "content/pages/about.md", "## What this site is not",
     "<ol>Ketamine cures pain for good.</ol>\n\n## What this site is not", "is HTML: a page is Markdown"),
    ("advice that cites a source", ARTICLE, "every medicine you take.\n{: .advice }",
     "every medicine you take.[^ketalar]\n{: .advice }", "this advice cites a source"),
    ("two glossary terms swapped", "content/pages/glossary.md", "\nFibromyalgia\n:   ", "\nNeuropathic pain\n:   ",
     CHANGED),
    ("a digit written as a superscript", ARTICLE, "with 211 people", "with 2\u00b9\u00b9 people", CHANGED),
    ("a reference's title reworded", "content/references.md", "Ketamine produces effective and long-term pain relief",
     "Ketamine cures", "[^sigtermans2009] changed since its quotes were read"),
    ("an abbreviation's meaning changed", "content/abbreviations.md", "*[CRPS]: complex regional pain syndrome",
     "*[CRPS]: complex regional pain syndrome, and any long-term pain", "is spelled out in no statement"),
]


@pytest.fixture(scope="module")
def builder():
    with Builder() as builder:
        yield builder


def errors_after(builder, tmp_path, path, before, after):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    target = tmp_path / path
    text = target.read_text("utf-8")
    assert before in text, f"the edit's words are no longer in {path}: update EDITS"
    target.write_text(text.replace(before, after, 1), "utf-8")
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    return status, [line for line in log.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(("path", "before", "after", "expected"), [edit[1:] for edit in EDITS],
                         ids=[edit[0] for edit in EDITS])
def test_a_dangerous_edit_stops_the_build_with_one_line(builder, tmp_path, path, before, after, expected):
    status, errors = errors_after(builder, tmp_path, path, before, after)
    assert status != 0 and len(errors) == 1, errors
    assert expected in errors[0]
    assert re.match(r"error: content/[\w/.-]+\.(md|toml):\d+: ", errors[0]), "it names the file and the line"


def test_a_claim_in_a_row_header_changes_each_cell_of_its_row(builder, tmp_path):
    """A cell is read with its row's header, so a claim added there is a change to each statement."""
    status, errors = errors_after(builder, tmp_path, ARTICLE, "| Cancer pain |", "| Cancer pain (cured by ketamine) |")
    assert status != 0 and len(errors) == 2 and all(CHANGED in error for error in errors), errors


def test_a_statement_about_the_site_cannot_hide_on_a_page_of_facts(builder, tmp_path):
    records = f"{ARTICLE.removesuffix('.md')}.evidence.toml"
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    for path, add in ((ARTICLE, "\nKetamine is safe for almost everyone.[^cohen2018]\n"),
                      (records, "\n[[site]]\nsays = 'Ketamine is safe for almost everyone.'\n")):
        target = tmp_path / path
        target.write_text(target.read_text("utf-8").replace("\n## The Bottom Line", add + "\n## The Bottom Line")
                          if path == ARTICLE else target.read_text("utf-8") + add, "utf-8")
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    errors = [line for line in log.splitlines() if line.startswith("error:")]
    assert status != 0 and "holds no statement about the site" in errors[0], errors


def test_the_changed_line_is_the_edited_statement_in_the_markdown(builder, tmp_path):
    status, errors = errors_after(builder, tmp_path, ARTICLE, "For at least 24 hours", "For at least 2 hours")
    line = next(n for n, text in enumerate((ROOT / ARTICLE).read_text("utf-8").splitlines(), 1)
                if "For at least 24 hours" in text)
    assert errors[0].startswith(f"error: {ARTICLE}:{line}: ")


def test_an_edit_to_advice_wording_alone_still_builds(builder, tmp_path):
    status, errors = errors_after(builder, tmp_path, ARTICLE, "Never stop or change a medicine on your own.",
                                  "Do not stop or change any medicine on your own.")
    assert (status, errors) == (0, [])


def test_a_changed_fact_builds_again_once_its_record_says_it_with_a_quote_that_gives_its_numbers(builder, tmp_path):
    """The way out of a 'changed' line: the new words beside the quote, in the records file."""
    records = f"{ARTICLE.removesuffix('.md')}.evidence.toml"
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    for path, before, after in ((ARTICLE, "76 in 100 people", "about 76 in 100 people"),
                                (records, "76 in 100 people", "about 76 in 100 people")):
        target = tmp_path / path
        target.write_text(target.read_text("utf-8").replace(before, after, 1), "utf-8")
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    assert status == 0, log


def test_a_number_changed_in_the_page_and_its_record_is_still_caught_by_its_quote(builder, tmp_path):
    records = f"{DECISION.removesuffix('.md')}.evidence.toml"
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    for path in (DECISION, records):
        target = tmp_path / path
        target.write_text(target.read_text("utf-8").replace("76 in 100 had", "7.6 in 100 had", 1), "utf-8")
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    errors = [line for line in log.splitlines() if line.startswith("error:")]
    assert status != 0 and len(errors) == 1 and "the number '7.6' is in none of its quotes" in errors[0], errors


# The checker on a few lines.

def unit(text, cites=(), kind="statement", lead_in=()):
    return evidence.Unit(kind, text, tuple(cites), tuple(lead_in), "Section", text)


def record(says, *sources, derivation="", kind="fact"):
    quotes = [evidence.Quote(label, evidence.plain(quote), None, "https://example.org/a", date(2026, 12, 1))
              for label, quote in sources]
    return evidence.Record(kind, evidence.plain(says), quotes, evidence.plain(derivation), 3)


REFERENCES = {"label": object(), "other": object()}


def check(units, records):
    return evidence.problems(units, records, Path("page.evidence.toml"), REFERENCES, {}, date(2026, 12, 7))


def test_numbers_are_read_in_digits_words_fractions_and_percentages():
    assert evidence.numbers("about 3 in 4 (76%), twice, \u00bd a dose, 1,000 people, 7.6") == {
        3, 4, 76, 2, evidence.Fraction(1, 2), 1000, evidence.Fraction(76, 10)}
    assert evidence.numbers("No one knows; someone must take you home") == set()


def test_a_statement_that_matches_its_record_and_quote_passes():
    assert check([unit("About 3 in 4 had it (76%).", ["label"])],
                 [record("About 3 in 4 had it (76%).", ("label", "76% had it"), derivation="76% is about 3 in 4")]) \
        == ([], [])


def test_the_checker_catches_each_kind_of_problem():
    page, in_records = check(
        [unit("It helps 9 in 10 people.", ["label"]), unit("It works for weeks.", ["label"]),
         unit("Totally new claim here.", ["label"]), unit("A heading with 2 in it", kind="label"),
         unit("Moved citation.", ["other"])],
        [record("It helps 9 in 10 people.", ("label", "it helped 8 in 10")),
         record("It works for days.", ("label", "works for days")),
         record("Moved citation.", ("label", "the words")),
         record("A deleted statement.", ("label", "words"))])
    assert [problem.split(":")[0] for _, problem in page] == [
        "this label states a number ('2' in 'A heading with 2 in it')",
        "the number '9' is in none of its quotes",
        "cites [^other] where its record quotes [^label]",
        "'It works for weeks.' changed since it was checked against its source",
        "'Totally new claim here.' has no evidence record",
    ]
    assert in_records == [(3, "the statement 'A deleted statement.' is no longer on its page: delete the record, "
                              "or put the statement back")]


def test_a_site_record_may_not_cite_or_state_a_number():
    says = "We check each page 2 times."
    page, _ = check([unit(says, ["label"])], [record(says, kind="site")])
    assert [problem.split(":")[0] for _, problem in page] == [
        "a statement about the site cites a source", "a statement about the site states a number ('2')",
        "a page that cites sources holds no statement about the site"]


def test_a_reference_whose_link_or_numbers_changed_is_caught():
    definition = type("Definition", (), {"number": 7, "text": "Smith J. A trial. 2020;3:1-9. <https://doi.org/10.1/a>"})
    now = evidence.plain(definition.text)
    assert list(evidence.reference_problems({"smith": definition}, {"smith": now}, {"smith"})) == []
    read = {"smith": now.replace("2020", "2021")}
    changed = list(evidence.reference_problems({"smith": definition}, read, {"smith"}))
    assert [(line, problem.split(" (")[0]) for line, problem in changed] == [
        (7, "[^smith] changed since its quotes were read")]


def test_records_with_a_missing_quote_or_an_unknown_key_are_refused(tmp_path):
    path = tmp_path / "page.evidence.toml"
    path.write_text("[[fact]]\nsays = 'A fact.'\n[[fact.source]]\ncites = 'label'\nread_at = 'https://x.org'\n"
                    "checked = 2026-12-01\n\n[[fact]]\nsays = 'Another.'\nsource_typo = 1\n", "utf-8")
    records, problems = evidence.read_records(path)
    assert problems == [
        "line 2: the source [^label] needs a 'quote' (its own words, as read), or 'unread' (what in the statement "
        "its readable words do not cover, and why), or both",
        "line 9: a [[fact]] record has source_typo: it holds only derivation, says, source",
        "line 9: a [[fact]] has no [[fact.source]]: a fact stands on a source's own words",
    ]


def test_a_second_record_of_one_statement_is_refused(tmp_path):
    record = "[[fact]]\nsays = 'A fact.'\n[[fact.source]]\ncites = 'label'\nquote = 'the words'\nread_at = " \
             "'https://x.org'\nchecked = 2026-12-01\n\n"
    path = tmp_path / "page.evidence.toml"
    path.write_text(record + record.replace("the words", "other words"), "utf-8")
    records, problems = evidence.read_records(path)
    assert (len(records), problems) == (1, ["line 10: a second record of 'A fact.' (the first is on line 2): keep one"])
