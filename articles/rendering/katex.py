"""Run KaTeX inside an embedded V8 (mini-racer) to turn LaTeX into MathML.

KaTeX's own JavaScript comes from a package registry at install time
(`manage.py build_math_assets`, run by `make install`); nothing of it is kept
in the repository and no Node.js is needed. Each process keeps one V8 context:
starting one and loading KaTeX costs about 0.1 s, a formula after that about
0.02 ms inside V8, and each call from Python about 0.3 ms, so formulas are sent
in batches (one call per article). See docs/math.md.
"""

import atexit
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Untrusted KaTeX commands (\htmlClass, \includegraphics, ...) print their own
# name in this colour; it marks them so they become errors, not visible debris.
UNTRUSTED_MARK = "#c0ffee"

# Limits that keep one formula well under a second of CPU (docs/math.md).
MAX_SOURCE_CHARS = 20_000
MAX_NESTING = 200
BATCH_TIMEOUT_SECONDS = 3.0
SINGLE_TIMEOUT_SECONDS = 0.5
HEAP_LIMIT_BYTES = 512 * 1024 * 1024

# \href and \url keep their text (the sanitizer drops the link itself); every
# other command that needs trust stays refused. Definitions never leak from
# one formula to the next: the cache is keyed by a single formula's source.
_WRAPPER = """
var inkstoneTypeset = function (items) {
  return items.map(function (item) {
    try {
      return [true, katex.renderToString(item[0], {
        displayMode: item[1],
        output: "mathml",
        throwOnError: true,
        strict: "ignore",
        errorColor: "UNTRUSTED_MARK",
        maxExpand: 1000,
        maxSize: 50,
        macros: {},
        trust: function (context) {
          return (context.command === "\\\\href" || context.command === "\\\\url") &&
            (context.protocol === "http" || context.protocol === "https");
        }
      })];
    } catch (error) {
      var message = error && error.message ? String(error.message) : String(error);
      return [false, message];
    }
  });
};
""".replace("UNTRUSTED_MARK", UNTRUSTED_MARK)


@dataclass(frozen=True)
class Typeset:
    """KaTeX's answer for one formula: MathML, or the reason it has none."""

    ok: bool
    text: str


def katex_path():
    """Return where `build_math_assets` put katex.min.js."""
    return Path(settings.MATH_ASSETS_DIR) / "katex" / "katex.min.js"


def katex_version():
    """Return the version of the installed KaTeX, or None if it is missing."""
    path = katex_path()
    if not path.exists():
        return None
    return _engine().version


class _Engine:
    """One V8 context with KaTeX loaded, used by one thread at a time."""

    def __init__(self):
        from py_mini_racer import MiniRacer

        path = katex_path()
        if not path.exists():
            raise ImproperlyConfigured(
                f"KaTeX is missing at {path}: run `make install` "
                "(or `manage.py build_math_assets`), see docs/math.md."
            )
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.context = _outside_any_event_loop(MiniRacer)
        self.context.set_hard_memory_limit(HEAP_LIMIT_BYTES)
        self.context.eval(path.read_text(encoding="utf-8"))
        self.context.eval(_WRAPPER)
        self.version = self.context.eval("katex.version")

    def run(self, items, timeout):
        from py_mini_racer import JSTimeoutException

        with self.lock:
            try:
                answers = self.context.call("inkstoneTypeset", items, timeout_sec=timeout)
            except JSTimeoutException:
                return None
        return [Typeset(bool(ok), text) for ok, text in answers]

    def close(self):
        self.context.close()


def _outside_any_event_loop(factory):
    """Call factory on a fresh thread.

    mini-racer adopts the creating thread's running asyncio loop (an ASGI
    server's, Playwright's) as its own, and then refuses timeouts from that
    thread; on a thread with no loop it starts a private one.
    """
    box = {}

    def build():
        try:
            box["value"] = factory()
        except BaseException as error:  # re-raised in the caller's thread
            box["error"] = error

    thread = threading.Thread(target=build, name="katex-start")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


_state = {"engine": None}
_state_lock = threading.Lock()


def _engine():
    engine = _state["engine"]
    # A context does not survive fork (its V8 thread stays in the parent):
    # a forked worker starts its own.
    if engine is None or engine.pid != os.getpid():
        with _state_lock:
            engine = _state["engine"]
            if engine is None or engine.pid != os.getpid():
                engine = _state["engine"] = _Engine()
    return engine


@atexit.register
def _close_engine():
    # Without an explicit close, mini-racer can block interpreter exit.
    engine = _state["engine"]
    if engine is not None and engine.pid == os.getpid():
        engine.close()
        _state["engine"] = None


def _nesting_depth(source):
    depth = deepest = 0
    for character in source:
        if character == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif character == "}":
            depth -= 1
    return deepest


def precheck(source):
    """Return why source is refused before KaTeX sees it, or None."""
    if len(source) > MAX_SOURCE_CHARS:
        return f"formula is {len(source):,} characters long; the limit is {MAX_SOURCE_CHARS:,}"
    if source.count("{") > MAX_NESTING and _nesting_depth(source) > MAX_NESTING:
        return f"braces nest more than {MAX_NESTING} deep"
    return None


def typeset_many(items):
    """Return a Typeset for each (source, display) pair, in order."""
    answers = [None] * len(items)
    pending = []
    for index, (source, _display) in enumerate(items):
        refusal = precheck(source)
        if refusal:
            answers[index] = Typeset(False, refusal)
        else:
            pending.append(index)
    if not pending:
        return answers
    engine = _engine()
    batch = [[items[index][0], bool(items[index][1])] for index in pending]
    results = engine.run(batch, BATCH_TIMEOUT_SECONDS)
    if results is None:
        # Something in the batch is slow: find it, one formula at a time.
        results = []
        for pair in batch:
            single = engine.run([pair], SINGLE_TIMEOUT_SECONDS)
            results.append(
                single[0] if single else Typeset(False, "formula took too long to typeset")
            )
    for index, result in zip(pending, results, strict=True):
        answers[index] = result
    return answers


def untrusted_command(mathml):
    """Return the refused command KaTeX printed in mathml, or None."""
    marker = f'mathcolor="{UNTRUSTED_MARK}"'
    position = mathml.find(marker)
    if position < 0:
        return None
    start = mathml.find(">\\", position)
    end = mathml.find("<", start + 1)
    return mathml[start + 1 : end] if start >= 0 and end > start else "a command"


def error_reason(message):
    """Return KaTeX's error as one short line an author can act on."""
    line = " ".join(str(message).split())
    line = line.removeprefix("KaTeX parse error: ")
    # KaTeX underlines the offending text with combining low lines (U+0332).
    line = line.replace("\u0332", "")
    # JavaScript cuts strings in UTF-16 units, which can split a surrogate pair;
    # a lone surrogate cannot be encoded, so it becomes U+FFFD.
    line = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in line)
    if line.startswith("Maximum call stack size exceeded"):
        line = "formula nests too deeply"
    return line[:300] or "LaTeX could not be read"
