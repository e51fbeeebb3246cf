from .contents_list import register  # noqa: F401
