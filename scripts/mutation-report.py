"""Summarise the last mutation run (`make mutate`): counts, the survival rate, and what is left to kill.

Reads `mutmut results --all true` (mutmut's own report) and scripts/mutation-equivalents.txt, the mutants
judged unable to change behaviour, each with its reason. Survival rate = (survived + no tests) / (all −
equivalent); a timeout counts as detected. Listed equivalents that were killed or no longer exist are
reported as stale, so the list is kept honest when the code changes.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

EQUIVALENTS = Path(__file__).with_name("mutation-equivalents.txt")
TARGET = 0.05


def results() -> dict[str, str]:
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().partition(": ")
        if sep and "__mutmut_" in name:
            found[name] = status.strip()
    return found


def equivalents() -> dict[str, str]:
    listed: dict[str, str] = {}
    for raw in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            listed[name] = reason.strip().lstrip("#").strip()
    return listed


def main() -> int:
    found = results()
    if not found:
        print("no mutation results: run `make mutate` first", file=sys.stderr)
        return 2
    listed = equivalents()
    counts = Counter(found.values())
    undetected = {name for name, status in found.items() if status in ("survived", "no tests")}
    equivalent = undetected & set(listed)
    left = sorted(undetected - equivalent)
    stale = sorted(name for name in listed if found.get(name) not in ("survived", "no tests"))
    judged = len(found) - len(equivalent)
    rate = len(left) / judged if judged else 0.0
    print(f"mutants: {len(found)}")
    for status in ("killed", "timeout", "survived", "no tests", "suspicious", "caught by type check", "skipped"):
        if counts[status]:
            print(f"  {status}: {counts[status]}")
    print(f"  equivalent (listed in {EQUIVALENTS.name}, of the survivors): {len(equivalent)}")
    print(f"survival rate: {len(left)} / {judged} = {rate:.1%} (target under {TARGET:.0%})")
    if left:
        print("\nsurvivors to kill or to judge (`mutmut show NAME` prints the change):")
        for name in left:
            print(f"  {name}: {found[name]}")
    if stale:
        print(f"\nstale entries in {EQUIVALENTS.name} (killed or gone; remove them):")
        for name in stale:
            print(f"  {name}: {found.get(name, 'no such mutant')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
