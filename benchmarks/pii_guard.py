"""The personal-data guard on realistic descriptions, against a single precompiled regex scan of the same text.

The baseline is the cheapest check one could do (one `re.search` for ten digits); the ratio says what the
full guard (identity numbers, phones, e-mail, addresses, name pairs) costs on top.
"""

from __future__ import annotations

import re
import sys

from common import ROOT, rate

sys.path.insert(0, str(ROOT / "src"))

from varna.situation.pii import find_personal_data  # noqa: E402


def main() -> None:
    corpus = (ROOT / "tests" / "situation" / "data" / "clean_descriptions.txt").read_text(encoding="utf-8")
    texts = [line for line in corpus.splitlines() if line.strip()]
    digits = re.compile(r"\d{10}")
    baseline, base_p50, _ = rate(lambda: [digits.search(t) for t in texts])
    guard, guard_p50, guard_p95 = rate(lambda: [find_personal_data(t) for t in texts])
    per_text_us = 1e6 / (guard * len(texts))
    print(f"{len(texts)} descriptions, mean {sum(map(len, texts)) / len(texts):.0f} characters")
    print(f"baseline regex scan : {baseline * len(texts):>10.0f} texts/s")
    print(f"personal-data guard : {guard * len(texts):>10.0f} texts/s  ({per_text_us:.0f} µs per text, "
          f"p95 of a batch {guard_p95:.1f} ms)")
    print(f"ratio guard/baseline: {guard / baseline:.3f}")


if __name__ == "__main__":
    main()
