from .page_structure import register  # noqa: F401
