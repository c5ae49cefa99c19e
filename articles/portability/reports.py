"""What an import tells its user: problems by file and line, a progress bar, a summary."""

import sys
import time
from collections import Counter

ACTIONS = ("created", "updated", "unchanged", "failed")


class Report:
    """Collect the outcome of every file of an import."""

    def __init__(self):
        self.counts = Counter()
        self.warnings = []  # "path:line: message"
        self.errors = []
        self.started = time.perf_counter()

    def count(self, action):
        self.counts[action] += 1

    def warn(self, source, message, line=None):
        self.warnings.append(_located(source, line, message))

    def fail(self, source, message, line=None):
        self.counts["failed"] += 1
        self.errors.append(_located(source, line, message))

    @property
    def failed(self):
        return self.counts["failed"]

    def elapsed(self):
        return time.perf_counter() - self.started

    def summary(self, *, dry_run=False):
        """Return the closing table: one row per outcome, then the throughput."""
        rows = [(action, self.counts[action]) for action in ACTIONS]
        rows.append(("warnings", len(self.warnings)))
        width = max(len(name) for name, _ in rows)
        lines = ["Dry run: nothing was saved." if dry_run else "Import finished."]
        lines += [f"  {name.ljust(width)}  {number:>6}" for name, number in rows]
        imported = sum(self.counts[action] for action in ACTIONS[:3])
        seconds = self.elapsed()
        rate = imported / seconds if seconds > 0 else 0.0
        lines.append(f"  {imported} article(s) in {seconds:.2f}s ({rate:.1f} articles/s)")
        return "\n".join(lines)


def _located(source, line, message):
    return f"{source}:{line}: {message}" if line else f"{source}: {message}"


class Progress:
    """A one-line progress bar on stderr, drawn only where someone watches it."""

    WIDTH = 30

    def __init__(self, total, *, stream=None, enabled=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        if enabled is None:
            enabled = total >= 10 and getattr(self.stream, "isatty", lambda: False)()
        self.enabled = enabled and total > 0

    def step(self, label=""):
        self.done += 1
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label[-40:]:<40}")
        self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
