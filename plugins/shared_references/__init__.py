from .shared_references import register  # noqa: F401
