from .minify_css import register  # noqa: F401
