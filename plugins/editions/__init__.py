from .print_edition import register  # noqa: F401
