"""Run the benchmarks: `python -m benchmarks.run [--only query,serialize] [--triples N] [--check]`.

Sections are the `benchmarks/bench_*.py` modules, found automatically: each defines NAME, ORDER
and `run(ctx) -> dict`. Adding a section is adding a file. Results are merged into
`benchmarks/results.json` as "section.key" entries (a partial run updates its own keys only),
with the run's machine and graph size under "meta".
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import pkgutil
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.common import BenchContext

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
#: the issue's targets: key -> (comparison, bound)
TARGETS: dict[str, tuple[str, float]] = {
    "query.max_store_ms": ("<", 250.0),
    "query.min_speedup_vs_rdflib": (">=", 10.0),
    "serialize.turtle_1m_s": ("<", 3.0),
    "extract.ratio_vs_spacy": (">=", 0.85),
    "extract.speedup_j2": (">=", 1.6),
    "rebuild.fraction": ("<", 0.05),
    "memory.peak_mb_10k": ("<", 2000.0),
}
#: sections outside the bench_*.py naming whose run(ctx) returns fully qualified keys
QUALIFIED_SECTIONS = ("build_bench",)


def sections() -> list[ModuleType]:
    """Every bench_*.py module of this package, in ORDER."""
    found = [importlib.import_module(f"benchmarks.{m.name}") for m in pkgutil.iter_modules([str(HERE)])
             if m.name.startswith("bench_") or m.name in QUALIFIED_SECTIONS]
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


def flatten(section: str, values: dict[str, Any]) -> dict[str, Any]:
    return {f"{section}.{k}": v for k, v in values.items()}


def check(results: dict[str, Any]) -> list[str]:
    """Lines 'key value target ok/MISSED' for the targets present in `results`."""
    lines = []
    for key, (op, bound) in TARGETS.items():
        if key in results:
            value = results[key]
            ok = value < bound if op == "<" else value >= bound
            lines.append(f"{key:32s} {value:>10} (target {op} {bound:g}) {'ok' if ok else 'MISSED'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated section names (default: all)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--workdir", type=Path, default=HERE / "work")
    parser.add_argument("--keep", action="store_true", help="keep the generated graph and store")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    available = sections()
    wanted = set(args.only.split(",")) if args.only else {m.NAME for m in available}
    unknown = wanted - {m.NAME for m in available}
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; have {', '.join(m.NAME for m in available)}")
    results: dict[str, Any] = json.loads(args.output.read_text()) if args.output.exists() else {}
    ctx = BenchContext(workdir=args.workdir, triples=args.triples, repeat=args.repeat)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        for module in available:
            if module.NAME not in wanted:
                continue
            print(f"[{module.NAME}]", flush=True)
            t0 = time.perf_counter()
            values = module.run(ctx)
            values["section_s"] = round(time.perf_counter() - t0, 1)
            qualified = getattr(module, "QUALIFIED_KEYS", False)
            keys = {(f"{module.NAME}.{k}" if k == "section_s" else k): v for k, v in values.items()} \
                if qualified else flatten(module.NAME, values)
            results.update(keys)
            for key, value in keys.items():
                if not isinstance(value, dict):
                    print(f"  {key} = {value}", flush=True)
    finally:
        ctx.close(keep=args.keep)
    results["meta"] = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "triples": args.triples, "repeat": args.repeat,
                       "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
                       "sections": sorted(wanted), "total_s": round(time.perf_counter() - started, 1),
                       # other jobs on the machine slow every number down: say how busy it was
                       "load_average_start_end": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    report = check(results)
    print("\n".join(["", f"wrote {args.output}", *report]))
    return 1 if args.check and any(line.endswith("MISSED") for line in report) else 0


if __name__ == "__main__":
    sys.exit(main())
