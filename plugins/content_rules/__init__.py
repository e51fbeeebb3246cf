from .content_rules import register  # noqa: F401
