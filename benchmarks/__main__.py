"""Run dcplan benchmarks and print one line per figure.

Each ``benchmarks/bench_<name>.py`` defines ``run(quick: bool = False) -> list[dict]``
returning figures with keys ``name``, ``value``, ``unit``, ``target`` (text, e.g.
``"< 3 s"``), ``baseline`` (name of the baseline) and ``ratio`` (baseline time /
our time, or None). Lines look like::

    NAME: VALUE UNIT (target TARGET, baseline BASELINE_NAME ratio R)

and the same figures are written to ``benchmarks/results.json``.

Usage: ``python -m benchmarks [--only NAME ...] [--quick]``
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))


def fmt(fig: dict) -> str:
    v = fig["value"]
    vs = f"{v:.4g}" if isinstance(v, float) else str(v)
    ratio = fig.get("ratio")
    rs = "n/a" if ratio is None else f"{ratio:.3g}"
    return (f"{fig['name']}: {vs} {fig.get('unit', '')} (target {fig.get('target', 'n/a')}, "
            f"baseline {fig.get('baseline', 'none')} ratio {rs})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help=f"run only these ({', '.join(available())})")
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = ap.parse_args(argv)
    names = args.only or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; available: {', '.join(available())}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE.parent))
    out_path = HERE / "results.json"
    for name in names:
        mod = importlib.import_module(f"benchmarks.bench_{name}")
        t0 = time.perf_counter()
        figs = mod.run(quick=args.quick)
        for f in figs:
            print(fmt(f), flush=True)
        entry = {"figures": figs, "quick": args.quick,
                 "wall_s": time.perf_counter() - t0,
                 "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                 "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                             "platform": platform.platform(),
                             "loadavg_1min": os.getloadavg()[0]}}
        _merge(out_path, name, entry)
    return 0


def _merge(out_path: Path, name: str, entry: dict) -> None:
    """Read-modify-write results.json under a lock, so overlapping runs lose nothing."""
    import fcntl
    with open(out_path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            results = json.loads(out_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            results = {}
        results[name] = entry
        fd, tmp = tempfile.mkstemp(dir=out_path.parent, suffix=".json.tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(results, fh, indent=2, default=str)
        os.replace(tmp, out_path)


if __name__ == "__main__":
    sys.exit(main())
