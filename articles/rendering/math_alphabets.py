"""Map mathvariant letters to Unicode's Mathematical Alphanumeric Symbols.

MathML Core (what Chromium implements) honours only mathvariant="normal", so
\\mathbb{R} written as <mi mathvariant="double-struck">R</mi> would show a
plain R. The math font has the styled letters at their own code points
(U+1D400 onwards, plus older letterlike symbols such as ℝ), so the letters
themselves carry the style.
"""

# Per variant: first code point of A-Z, a-z, 0-9, capital Greek, small Greek
# (None where Unicode has no such alphabet).
_STARTS = {
    "bold": (0x1D400, 0x1D41A, 0x1D7CE, 0x1D6A8, 0x1D6C2),
    "italic": (0x1D434, 0x1D44E, None, 0x1D6E2, 0x1D6FC),
    "bold-italic": (0x1D468, 0x1D482, None, 0x1D71C, 0x1D736),
    "script": (0x1D49C, 0x1D4B6, None, None, None),
    "bold-script": (0x1D4D0, 0x1D4EA, None, None, None),
    "fraktur": (0x1D504, 0x1D51E, None, None, None),
    "double-struck": (0x1D538, 0x1D552, 0x1D7D8, None, None),
    "bold-fraktur": (0x1D56C, 0x1D586, None, None, None),
    "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2, None, None),
    "bold-sans-serif": (0x1D5D4, 0x1D5EE, 0x1D7EC, 0x1D756, 0x1D770),
    "sans-serif-italic": (0x1D608, 0x1D622, None, None, None),
    "sans-serif-bold-italic": (0x1D63C, 0x1D656, None, 0x1D790, 0x1D7AA),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6, None, None),
}

# Letters that Unicode encoded earlier, in the Letterlike Symbols block; their
# slots in the mathematical alphabets are left empty.
_HOLES = {
    "italic": {"h": "ℎ"},
    "script": {
        "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
        "e": "ℯ", "g": "ℊ", "o": "ℴ",
    },
    "fraktur": {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"},
    "double-struck": {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"},
}  # fmt: skip

# After the 25 capital Greek letters comes ∇; after the 25 small ones, these.
_GREEK_CAPITAL_EXTRA = "∇"
_GREEK_SMALL_EXTRA = "∂ϵϑϰϕϱϖ"

VARIANTS = frozenset(_STARTS)


def _styled(character, variant):
    hole = _HOLES.get(variant, {}).get(character)
    if hole:
        return hole
    upper, lower, digit, greek_capital, greek_small = _STARTS[variant]
    code = ord(character)
    if "A" <= character <= "Z":
        return chr(upper + code - ord("A"))
    if "a" <= character <= "z":
        return chr(lower + code - ord("a"))
    if digit and "0" <= character <= "9":
        return chr(digit + code - ord("0"))
    if greek_capital:
        if 0x391 <= code <= 0x3A9 and code != 0x3A2:
            return chr(greek_capital + code - 0x391)
        if character in _GREEK_CAPITAL_EXTRA:
            return chr(greek_capital + 25)
    if greek_small:
        if 0x3B1 <= code <= 0x3C9:
            return chr(greek_small + code - 0x3B1)
        extra = _GREEK_SMALL_EXTRA.find(character)
        if extra >= 0:
            return chr(greek_small + 25 + extra)
    return character


def styled_text(text, variant):
    """Return text with each letter or digit in the given mathvariant's alphabet."""
    if variant not in _STARTS:
        return text
    return "".join(_styled(character, variant) for character in text)
