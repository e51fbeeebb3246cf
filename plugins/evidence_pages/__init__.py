from .evidence_pages import register  # noqa: F401
