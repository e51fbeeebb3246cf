"""Plugin accessible_tables: a "Table:" line becomes the table's caption, header cells get
scopes, each body row's first cell is its row header. Tested on the Markdown extension alone,
and on the built article, so dropping the plugin from PLUGINS fails too."""

import markdown
from bs4 import BeautifulSoup

from plugins.accessible_tables.accessible_tables import AccessibleTableExtension

SOURCE = """Table: Evidence *by* condition

| Condition | Evidence |
|---|---|
| CRPS | Moderate |
| Migraine | Weak |
"""


def render(text):
    return BeautifulSoup(markdown.markdown(text, extensions=["tables", AccessibleTableExtension()]), "lxml")


def test_the_table_line_becomes_a_caption_with_its_markdown():
    html = render(SOURCE)
    caption = html.select_one("table > caption")
    assert caption.get_text() == "Evidence by condition" and caption.find("em")
    assert not [p for p in html.find_all("p") if p.get_text().startswith("Table:")]


def test_column_headers_and_row_headers_get_scopes():
    html = render(SOURCE)
    assert [th["scope"] for th in html.select("thead th")] == ["col", "col"]
    assert [(th.get_text(), th["scope"]) for th in html.select("tbody th")] == [("CRPS", "row"), ("Migraine", "row")]
    assert [td.get_text() for td in html.select("tbody td")] == ["Moderate", "Weak"]


def test_a_table_without_a_caption_line_still_gets_its_headers():
    html = render(SOURCE.split("\n", 2)[2])
    assert html.find("caption") is None and html.select("tbody th[scope=row]")


def test_the_built_article_has_a_captioned_table_with_scoped_headers(article):
    (table,) = article.select(".prose table")
    assert table.caption.get_text(strip=True)
    assert table.select("thead th[scope=col]")
    assert len(table.select("tbody th[scope=row]")) == len(table.select("tbody tr"))
