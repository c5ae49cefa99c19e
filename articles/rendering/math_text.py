"""Short inline formulas as readable plain text, for previews and feed summaries.

A preview is plain text, so `$\\mathbf{u}_i$` cannot be MathML there; showing the
raw source would leak `\\mathbf` into listings. Common notation maps onto
Unicode (`𝐮ᵢ`-style letters are avoided: fonts lack them, so bold is dropped),
and anything this module does not understand makes `readable_math` return
None, so the caller falls back to a placeholder rather than show LaTeX.
"""

import unicodedata

import regex

# Previews keep only short formulas; longer sources are not worth parsing.
MAX_SOURCE_CHARS = 120

# fmt: off
SYMBOLS = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # Operators and relations
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "le": "≤", "leq": "≤", "ge": "≥",
    "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼", "equiv": "≡", "propto": "∝",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "mapsto": "↦", "infty": "∞",
    "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "forall": "∀",
    "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨", "mid": "|", "ldots": "…", "cdots": "⋯",
    "dots": "…", "circ": "∘", "star": "⋆", "ell": "ℓ", "prime": "′", "top": "ᵀ", "langle": "⟨",
    "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "|": "‖", "{": "{",
    "}": "}", "%": "%", "$": "$", "&": "&", "_": "_", "#": "#",
    # Named functions are set upright in print; as text they are just words.
    "log": "log", "ln": "ln", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan",
    "max": "max", "min": "min", "arg": "arg", "argmax": "argmax", "argmin": "argmin",
    "det": "det", "lim": "lim", "sup": "sup", "inf": "inf", "Pr": "Pr", "mathrm": "",
    "mathbf": "", "boldsymbol": "", "mathit": "", "text": "", "textrm": "", "operatorname": "",
    "mathsf": "", "bm": "",
}
# Spacing and sizing commands that have no place in plain text.
SILENT = {",", ";", ":", "!", " ", "quad", "qquad", "left", "right", "big", "Big",
          "bigl", "bigr", "displaystyle", "limits"}
# Accents become combining characters on a single base letter: \hat{y} → ŷ.
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7",
           "dot": "\u0307", "overline": "\u0305"}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
SUPERSCRIPTS = dict(zip("0123456789+-=()niTt", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵗ", strict=True))
SUPERSCRIPTS["−"] = "⁻"
SUBSCRIPTS = dict(
    zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)

# fmt: on

_TOKEN = regex.compile(r"\\([A-Za-z]+|.)|([_^])|(\{)|(\})|(\s+)|(.)", regex.DOTALL)


class _Unreadable(Exception):
    pass


def readable_math(source):
    """Return inline LaTeX as plain Unicode text, or None if it can't be done faithfully."""
    if len(source) > MAX_SOURCE_CHARS:
        return None
    try:
        text, _ = _group(list(_TOKEN.finditer(source)), 0, closing=False)
    except (_Unreadable, IndexError, RecursionError):
        return None
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    return text or None


def _group(tokens, index, *, closing):
    out = []
    while index < len(tokens):
        command, script, opening, close, space, char = tokens[index].groups()
        index += 1
        if close:
            if not closing:
                raise _Unreadable
            return "".join(out), index
        if opening:
            inner, index = _group(tokens, index, closing=True)
            out.append(inner)
        elif space:
            out.append(" ")
        elif script:
            argument, index = _argument(tokens, index)
            table = SUPERSCRIPTS if script == "^" else SUBSCRIPTS
            out.append(_script(argument, table))
        elif command is not None:
            out.append(_command(command, tokens, index))
            if command in _ONE_ARGUMENT or command in {"frac", "dfrac", "tfrac"}:
                index = _skip_arguments(command, tokens, index)
        else:
            out.append(char)
    if closing:
        raise _Unreadable
    return "".join(out), index


_WRAPPERS = {"mathrm", "mathbf", "boldsymbol", "mathit", "text", "textrm", "operatorname",
             "mathsf", "bm"}  # fmt: skip
_ONE_ARGUMENT = _WRAPPERS | set(ACCENTS) | {"sqrt", "mathbb"}


def _command(name, tokens, index):
    if name in SILENT:
        return ""
    if name in _WRAPPERS:
        inner, _ = _argument(tokens, index)
        return inner
    if name == "mathbb":
        inner, _ = _argument(tokens, index)
        if inner not in BLACKBOARD:
            raise _Unreadable
        return BLACKBOARD[inner]
    if name in ACCENTS:
        inner, _ = _argument(tokens, index)
        if len(inner) != 1:
            raise _Unreadable
        return inner + ACCENTS[name]
    if name in {"frac", "dfrac", "tfrac"}:
        numerator, after = _argument(tokens, index)
        denominator, _ = _argument(tokens, after)
        return f"{_wrap(numerator)}/{_wrap(denominator)}"
    if name == "sqrt":
        inner, _ = _argument(tokens, index)
        return f"√{_wrap(inner)}"
    if name in SYMBOLS:
        return SYMBOLS[name]
    raise _Unreadable


def _skip_arguments(name, tokens, index):
    count = 2 if name in {"frac", "dfrac", "tfrac"} else 1
    for _ in range(count):
        _, index = _argument(tokens, index)
    return index


def _argument(tokens, index):
    """Return the text of one argument (a braced group or a single token) and the next index."""
    while tokens[index].group(5):  # spaces before an argument don't matter
        index += 1
    command, _, opening, _, _, char = tokens[index].groups()
    if opening:
        return _group(tokens, index + 1, closing=True)
    if command is not None:
        # A bare command argument, as in x_\mathit{i}, takes its own arguments along.
        text = _command(command, tokens, index + 1)
        if command in _ONE_ARGUMENT or command in {"frac", "dfrac", "tfrac"}:
            return text, _skip_arguments(command, tokens, index + 1)
        return text, index + 1
    if char:
        return char, index + 1
    raise _Unreadable


def _script(text, table):
    if text and all(ch in table for ch in text):
        return "".join(table[ch] for ch in text)
    if table is SUPERSCRIPTS and text == "ᵀ":
        return text
    marker = "^" if table is SUPERSCRIPTS else "_"
    return f"{marker}{_wrap(text)}"


_OPERATORS = set(" +-−×·/=,<>≤≥≠∈")


def _wrap(text):
    """Parenthesise a compound operand so `a/b` style output stays unambiguous."""
    return f"({text})" if _OPERATORS & set(text) else text
