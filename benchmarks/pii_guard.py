"""The personal-data guard: how often it is wrong on the corpus, and what it costs per text.

Rates first: the corpus in `tests/disclosure/data` (realistic Swedish texts from every part of Värna
outside cases, see `tests/disclosure/corpus.py`): the false-negative rate is the share of texts with
personal data that pass (or are reported as another kind), the false-positive rate the share of clean
texts refused. Then speed, against the cheapest check one could do (one `re.search` for ten digits).
"""

from __future__ import annotations

import re
import sys

from common import RESULT, ROOT, rate, verdict

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.disclosure import corpus  # noqa: E402
from varna.disclosure.personal_data import find_personal_data  # noqa: E402


def main() -> None:
    personal, clean = corpus.personal(), corpus.clean()
    missed = [(kind, text) for kind, text in personal if kind not in {f.kind for f in find_personal_data(text)}]
    refused = [text for text in clean if find_personal_data(text)]
    by_kind: dict[str, int] = {}
    for kind, _text in personal:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items()))
    print(f"corpus: {len(personal)} texts with personal data ({kinds}), {len(clean)} clean")
    fn, fp = len(missed) / len(personal), len(refused) / len(clean)
    print(f"{RESULT}false negatives: {len(missed)} of {len(personal)} = {fn:.1%} (target 0) "
          f"{'meets' if not missed else 'misses'}", flush=True)
    print(f"{RESULT}false positives: {len(refused)} of {len(clean)} = {fp:.1%} (target ≤ 2%) "
          f"{'meets' if fp <= 0.02 else 'misses'}", flush=True)

    texts = [text for text in clean if "\n" not in text]
    digits = re.compile(r"\d{10}")
    baseline, _b50, _b95 = rate(lambda: [digits.search(t) for t in texts])
    guard, _g50, guard_p95 = rate(lambda: [find_personal_data(t) for t in texts])
    per_text_us = 1e6 / (guard * len(texts))
    print(f"{len(texts)} clean texts, mean {sum(map(len, texts)) / len(texts):.0f} characters")
    print(f"baseline regex scan : {baseline * len(texts):>10.0f} texts/s")
    print(f"personal-data guard : {guard * len(texts):>10.0f} texts/s  ({per_text_us:.0f} µs per text, "
          f"p95 of a batch {guard_p95:.1f} ms)")
    verdict("guard cost per text", per_text_us, 200, at_most=True, unit="µs")
    if missed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
