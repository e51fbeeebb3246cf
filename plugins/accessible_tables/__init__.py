from .accessible_tables import register  # noqa: F401
