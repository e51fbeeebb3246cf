from .downloads import register  # noqa: F401
