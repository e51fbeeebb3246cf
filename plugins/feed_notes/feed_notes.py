"""The published feed gives each article's summary with the site's notice and review dates, never the
whole article, which a feed reader shows without them (Pelican's own feed always carries it)."""

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
