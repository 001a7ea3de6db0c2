"""How long the pathological-input cases of the bad-input catalogue take to be refused.

Issue 14 asks that deep nesting, lone surrogates, huge number literals and alias bombs each end
in a located error "within a second or two". Tests do not assert times (the machines are noisy),
so this measures them: every case runs ``modgen validate`` as a whole process (start-up included),
median of 3, and prints a Markdown table.

    python bench/hostile.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bad_inputs.catalogue import CASES  # noqa: E402

PATHOLOGICAL = ["deep-nesting", "deep-nesting-flow-100000", "deep-nesting-block", "lone-surrogate-escape",
                "integer-5000-digits", "integer-million-digits", "float-5000-digits", "alias-bomb"]


def main() -> None:
    print("| case | exit | median wall s |\n|---|---|---|")
    for name in PATHOLOGICAL:
        edit, _ = CASES[name]
        times, code = [], None
        for _ in range(3):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp) / "course"
                shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", root)
                edit(root)
                start = time.perf_counter()
                code = subprocess.run([sys.executable, "-m", "generator", "validate", str(root)], cwd=ROOT,
                                      capture_output=True).returncode
                times.append(time.perf_counter() - start)
        print(f"| {name} | {code} | {statistics.median(times):.2f} |")


if __name__ == "__main__":
    main()
