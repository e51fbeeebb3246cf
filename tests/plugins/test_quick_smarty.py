"""Plugin quick_smarty: the same curly quotes, dashes and ellipses as Python-Markdown's smarty,
byte for byte, on every content file and on text built to catch a shortcut that skips too much."""

import copy

import markdown
import pytest
from pelican.settings import read_settings

from plugins.quick_smarty.quick_smarty import SMARTY, QuickSmartyExtension, use_quick_smarty
from scripts.build import ROOT

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
TRICKY = [
    "\"Quoted,\" she said -- and 'single' too... or was it---",
    "The '90s, rock 'n' roll, it's 5' tall, \"'nested'\" and '\"nested\"'.",
    "*\"emphasis\"* then \"**strong**\" and `\"code\" -- stays` and a [\"link\"](https://doi.org/x).",
    "Some dashes a--b, a---b, a----b, - single; dots .. ... .... ; <<angled>> >>",
    "Plain text with no mark at all, and a full stop.",
    "<span>\"raw HTML\"</span> then \"after\"; &quot;entity&quot; and &ndash; kept",
    "| \"a\" | 'b' |\n|---|---|\n| c--d | e... |",
    "- \"list\"\n- it's\n\n> 'quote' -- block",
    # Each mark alone in a run of text, so a shortcut that misses one of them shows.
    "Only an en dash -- here", "Only an ellipsis... here", "Only an apostrophe: it's", "Only a \"quote\"",
    "Only angled << quotes >> here",
]


def renderers(options=None):
    """(stock smarty, quick smarty) Markdown instances with this site's other extensions."""
    configs = copy.deepcopy(SETTINGS["MARKDOWN"]["extension_configs"])
    if options is not None:
        configs[SMARTY] = options
    others = {name: config for name, config in configs.items() if name != SMARTY}
    stock = markdown.Markdown(extensions=list(configs), extension_configs=configs)
    quick = markdown.Markdown(extensions=[*others, QuickSmartyExtension(**configs[SMARTY])],
                              extension_configs=others)
    return stock, quick


def sources():
    return sorted((ROOT / "content").rglob("*.md"))


@pytest.mark.parametrize("path", sources(), ids=lambda path: path.name)
def test_every_content_file_renders_exactly_as_smarty_renders_it(path):
    stock, quick = renderers()
    text = path.read_text("utf-8")
    assert quick.convert(text) == stock.convert(text)


@pytest.mark.parametrize("options", [None, {"smart_angled_quotes": True}], ids=["site", "angled quotes"])
def test_tricky_text_renders_exactly_as_smarty_renders_it(options):
    stock, quick = renderers(options)
    for text in TRICKY:
        expected = stock.reset().convert(text)
        assert quick.reset().convert(text) == expected
        assert any(entity in expected for entity in ("&ldquo;", "&rsquo;", "&ndash;", "&hellip;", "&laquo;")) \
            or "mark at all" in text or "angled" in text  # the text does exercise smarty


def test_the_plugin_swaps_smarty_for_the_quick_class_with_its_options():
    settings = {"MARKDOWN": {"extension_configs": {SMARTY: {"smart_dashes": False}, "markdown.extensions.toc": {}}}}
    use_quick_smarty(type("Pelican", (), {"settings": settings}))
    (extension,) = settings["MARKDOWN"]["extensions"]
    assert isinstance(extension, QuickSmartyExtension) and extension.getConfig("smart_dashes") is False
    assert SMARTY not in settings["MARKDOWN"]["extension_configs"]
