from .heading_permalinks import register  # noqa: F401
