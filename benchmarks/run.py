"""Runs every benchmark in `benchmarks/` and ends with each ratio against its target.

`make bench` is `python benchmarks/run.py`: the full sizes (several minutes). `make bench-smoke` is
`python benchmarks/run.py --smoke`: every benchmark at small sizes (seconds each, BENCH_SMOKE=1), which
fails only when a benchmark raises or exits non-zero, never on a figure (figures on a shared CI machine
are noise). Each script prints its own report; the lines it starts with "RESULT " are repeated in the
summary at the end, with the load average, so that one run can be read (and quoted) as a whole.

`python benchmarks/run.py plans national` runs only those.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"common.py", "run.py"}
ORDER = ["pii_guard", "guidance", "plans", "national", "situation", "load"]  # the rest after, by name


def scripts(names: list[str]) -> list[Path]:
    found = {path.stem: path for path in HERE.glob("*.py") if path.name not in NOT_BENCHMARKS}
    unknown = set(names) - set(found)
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(sorted(found))})")
    chosen = names or sorted(found, key=lambda stem: (ORDER.index(stem) if stem in ORDER else len(ORDER), stem))
    return [found[stem] for stem in chosen]


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    names = [arg for arg in argv if not arg.startswith("--")]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SETTINGS", "varna.settings.test")}
    if smoke:
        env["BENCH_SMOKE"] = "1"
    started = time.perf_counter()
    print(f"{'smoke run' if smoke else 'benchmarks'}: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the start", flush=True)
    results: list[tuple[str, str]] = []
    failed: list[str] = []
    for script in scripts(names):
        print(f"\n== {script.name}", flush=True)
        begun = time.perf_counter()
        process = subprocess.Popen([sys.executable, script.name], cwd=HERE, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.startswith("RESULT "):
                results.append((script.stem, line[len("RESULT "):].rstrip()))
        code = process.wait()
        print(f"-- {script.name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in "
              f"{time.perf_counter() - begun:.0f} s", flush=True)
        if code:
            failed.append(script.name)
    print(f"\nsummary ({time.perf_counter() - started:.0f} s, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end)")
    for stem, line in results:
        print(f"  {stem:<10} {line}")
    if smoke:
        print("  (smoke run: small sizes; the figures above say nothing about speed)")
    else:
        met = sum(line.endswith(" meets") for _, line in results)
        print(f"  {met} of {len(results)} targets met")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
