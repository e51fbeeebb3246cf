from .parallel_reader import register  # noqa: F401
