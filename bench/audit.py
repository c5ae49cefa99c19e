"""Run Lighthouse on the home and article pages of a production-like server; print the scores.

Run: make audit. Needs Debian's chromium and `npm ci` (Lighthouse is in package.json).
The server runs with DEBUG off, collected static files and gunicorn, over plain HTTP.
Full reports are kept in test-artifacts/lighthouse/.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_server import REPO, demo_server

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
REPORTS = REPO / "test-artifacts" / "lighthouse"
PAGES = {
    "home": "/",
    "article": "/articles/the-log-sum-exp-trick/",
    "article-zh": "/articles/" + quote("梯度下降与学习率") + "/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage"
GOAL = 95


def audit(url, report):
    """Run Lighthouse on url and return {category: score out of 100}."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ["CHROME_PATH"]},
        timeout=300,
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main():
    chromium = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if chromium is None:
        sys.exit("Chromium not found: apt-get install chromium (or set CHROME_PATH).")
    os.environ["CHROME_PATH"] = chromium
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci`.")
    REPORTS.mkdir(parents=True, exist_ok=True)
    scores = {}
    with demo_server(production=True) as base:
        for name, path in PAGES.items():
            scores[name] = audit(base + path, REPORTS / f"{name}.json")
    print(f"\n{'page':<12}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for name, row in scores.items():
        print(f"{name:<12}" + "".join(f"{row[category]:>16}" for category in CATEGORIES))
    below = [f"{page} {cat}" for page, row in scores.items() for cat, s in row.items() if s < GOAL]
    print(f"\nBelow {GOAL}: {', '.join(below) if below else 'none'}")


if __name__ == "__main__":
    main()
