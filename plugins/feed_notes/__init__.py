from .feed_notes import register  # noqa: F401
