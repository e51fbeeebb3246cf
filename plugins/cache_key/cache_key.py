"""Keep Pelican's content cache right. Pelican reuses a cached page when the page's own file is
unchanged, but a page's HTML also depends on the shared references and abbreviations, the
settings (the build date among them, for review notices), the theme and our plugins. With the
cache on, this names the cache folder after a digest of all of those, so changing any of them
starts a fresh cache instead of serving stale pages.

Ours because Pelican's cache has no notion of files outside the page.
"""

import hashlib
import json
from pathlib import Path

from pelican import signals

SETTINGS_FILES = Path(__file__).resolve().parents[2].glob("*conf.py")


def plain(value):
    """The JSON-able part of a setting: functions and objects have no stable text."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items() if not callable(item)}
    return None


def dependencies(settings):
    content = Path(settings["PATH"])
    yield content / settings["REFERENCES_FILE"]
    yield content / settings["ABBREVIATIONS_FILE"]
    yield from sorted(SETTINGS_FILES)
    yield from sorted(p for p in Path(settings["THEME"]).rglob("*") if p.is_file())
    for folder in settings["PLUGIN_PATHS"]:
        yield from sorted(Path(folder).rglob("*.py"))


def cache_key(settings):
    digest = hashlib.sha256()
    for path in dependencies(settings):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    settings_text = {key: plain(value) for key, value in settings.items() if key != "CACHE_PATH"}
    digest.update(json.dumps(settings_text, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def use_keyed_cache(pelican):
    if pelican.settings.get("CACHE_CONTENT"):
        pelican.settings["CACHE_PATH"] = str(Path(pelican.settings["CACHE_PATH"]) / cache_key(pelican.settings))


def register():
    signals.initialized.connect(use_keyed_cache)
