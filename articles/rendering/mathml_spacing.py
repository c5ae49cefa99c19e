"""Operator spacing as TeX sets it, where MathML Core's defaults differ.

Chromium spaces every <mo> from the operator dictionary, at every script level,
and guesses an operator's form only from its place in its row. TeX does two
things differently that readers notice in almost every machine-learning formula:

- In subscripts, superscripts and limits, binary operators, relations and
  punctuation get no space: `x_{t+1}` reads "t+1", not "t + 1" (2.9 px each
  side at 13 px before this), and `\\sum_{i=1}` "i=1".
- A sign with no operand on its left is unary and sticks to what follows:
  `m = -\\infty` was spaced like a subtraction, 9.5 px after "=" and 4.2 px
  before "∞".

KaTeX writes flat rows, so both are settled here by setting lspace and rspace
to 0 on those operators (an explicit value KaTeX gave is kept).
"""

# Elements whose children from this index on are scripts (or limits, or a root's index).
_SCRIPTS_FROM = {
    "msub": 1, "msup": 1, "msubsup": 1, "munder": 1, "mover": 1, "munderover": 1,
    "mmultiscripts": 1, "mroot": 1,
}  # fmt: skip
_SIGNS = {"\u2212", "+", "\u00b1", "\u2213"}
# What ends an operand, so that a sign after it is binary: closing fences, postfix marks.
_ENDS_OPERAND = set(")]}|\u2016\u27e9\u232a\u230b\u2309!\u2032\u2033\u2034'%")
# Tokens whose presence sends a formula through the rewrite (mathml_core._REWRITE_MARKERS).
MARKERS = tuple(f"<mo>{sign}</mo>" for sign in _SIGNS)


def tex_spacing(element, in_script=False):
    """Set TeX's operator spacing on element's subtree, in place."""
    first_script = _SCRIPTS_FROM.get(element.tag)
    if element.get("accent") == "true" or element.get("accentunder") == "true":
        first_script = None  # an accent is a mark on its base, not a script
    previous = None
    for index, child in enumerate(element):
        script = in_script or (first_script is not None and index >= first_script)
        # A stretchy over/under mark (a brace, an arrow) spans its base; its spacing is
        # the layout's, not punctuation's.
        spaced = child.tag == "mo" and child.get("stretchy") != "true"
        if spaced and (script or (child.text in _SIGNS and _is_unary(previous))):
            _tight(child)
        tex_spacing(child, script)
        if child.tag != "mspace":
            previous = child


def _is_unary(previous):
    if previous is None:
        return True
    return previous.tag == "mo" and (previous.text or "") not in _ENDS_OPERAND


def _tight(operator):
    for side in ("lspace", "rspace"):
        if side not in operator.attrib:
            operator.set(side, "0")
