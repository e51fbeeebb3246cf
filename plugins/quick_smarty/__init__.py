from .quick_smarty import register  # noqa: F401
