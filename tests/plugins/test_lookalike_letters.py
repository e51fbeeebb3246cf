"""A word is written in the letters it looks like: a letter of another script or a Latin letter
with no plain base letter (dotless 'ı', 'ɑ', script 'ɡ'), a letter built with a combining mark, or
a space other than a plain one would hide the word from every check that looks for it ("drive
yourself home" with an ideographic space). Tested on a few lines each."""

import pytest

from plugins.content_rules.sources import lookalike_letters


@pytest.mark.parametrize("text", [
    "Ørsted, Łukasz, Straße, café, Über, São Paulo, façade",
    "a \u03b2-blocker, 10 \u00b5g, \u00bd a dose, 2\u00b9\u00b9",
    "25\u00a0mg",  # a no-break space keeps a number with its unit
])
def test_latin_letters_accents_science_and_a_no_break_space_pass(text):
    assert list(lookalike_letters(text)) == []


@pytest.mark.parametrize("text, problem", [
    ("Ok.\nketam\u0131ne", "line 2: U+0131 (latin small letter dotless i) is not a Latin letter"),
    ("k\u0251tamine", "line 1: U+0251 (latin small letter alpha) is not a Latin letter"),
    ("\u0261ood", "line 1: U+0261 (latin small letter script g) is not a Latin letter"),
    ("c\u0430t", "line 1: U+0430 (cyrillic small letter a) is not a Latin letter"),
    ("drive\u3000yourself home", "line 1: U+3000 (ideographic space) is not a plain space"),
    ("drive\u2800yourself home", "line 1: U+2800 (braille pattern blank) is not a plain space"),
    ("drive\u2003yourself home", "line 1: U+2003 (em space) is not a plain space"),
    ("cafe\u0301", "line 1: a letter is written with a combining mark"),
    ("It is \ufb01ne to drive", "line 1: U+FB01 (latin small ligature fi) is not a Latin letter"),
    ("\u017fafe", "line 1: U+017F (latin small letter long s) is not a Latin letter"),
    ("\u216erive", "line 1: U+216E (roman numeral five hundred) is not a Latin letter"),
    ("rarely\U0001d159enough", "line 1: U+1D159 (musical symbol null notehead) is not a plain space"),
])
def test_a_lookalike_letter_or_space_is_refused_by_line(text, problem):
    found = list(lookalike_letters(text))
    assert len(found) == 1 and found[0].startswith(problem), found
