"""Take the screenshot of ``modgen diff --format html`` for docs/governance.md.

    python docs/diff_image.py        # needs Chromium (/usr/bin/chromium) and playwright

Diffs the two versions of the governance test fixture (tests/governance/fixtures/v1 → v2) and
writes ``docs/img/diff-html.png``: the top of the page, at a laptop's width.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "governance" / "fixtures"


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "diff.html"
        subprocess.run([sys.executable, "-m", "generator", "diff", "v1", "v2", "--format", "html", "-o", str(page_file)],
                       cwd=FIXTURES, check=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1100, "height": 1300})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(ROOT / "docs" / "img" / "diff-html.png"))
            browser.close()


if __name__ == "__main__":
    main()
