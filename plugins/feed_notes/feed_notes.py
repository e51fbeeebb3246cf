"""The published feed gives each article's summary with the site's notice and its review dates,
never the whole article: a feed reader shows an entry without the page's "not medical advice"
note or its dates, and a summary's links need no rewriting. Ours because Pelican's Atom feed
always carries the full content."""

from urllib.parse import urljoin

from pelican import signals


def notes(article, long_date):
    reviewed = getattr(article, "reviewed", None)
    dates = (f" Last reviewed {long_date(reviewed)}; next review due {long_date(article.next_review)}."
             if reviewed else "")
    return f" This is not medical advice: read the page, and talk to your own doctor.{dates}"


def summaries_with_notes(context, feed):
    long_date = context["JINJA_FILTERS"]["long_date"]
    articles = {urljoin(context["SITEURL"] + "/", article.url): article for article in context.get("articles", [])}
    for item in feed.items:
        article = articles.get(item["link"])
        item["description"] = (item.get("description") or "") + (notes(article, long_date) if article else "")
        item["content"] = None


def register():
    signals.feed_generated.connect(summaries_with_notes)
