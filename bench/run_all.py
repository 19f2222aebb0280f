"""Run every benchmark part in its own subprocess, collect the figures, write ``results/latest.json`` and
refresh the table in ``bench/README.md``.

Each part runs alone so that its peak memory (the child's ``ru_maxrss``, read with ``os.wait4``) is its
own.  Usage::

    python bench/run_all.py                 # everything, N = 1000 (export also at N = 250 for flatness)
    python bench/run_all.py --only check    # one benchmark
    python bench/run_all.py --readme-only   # rebuild the README table from results/latest.json
    python bench/run_all.py --select export:floor_departments@250   # single parts
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

from common import BENCH, RESULTS, machine

#: (benchmark, script, part, N, repeat).  Exports run once: at N = 1000 they take minutes.  The
#: per-department workbooks (20,000 project sheets at N = 1000) run at N = 250 only.
PLAN: tuple[tuple[str, str, str, int, int], ...] = (
    ("import", "bench_import.py", "figure", 0, 3),
    ("import", "bench_import.py", "floor", 0, 5),
    ("check", "bench_check.py", "figure", 1000, 3),
    ("check", "bench_check.py", "serial", 1000, 3),
    ("check", "bench_check.py", "rules", 1000, 3),
    ("check", "bench_check.py", "load", 1000, 3),
    ("check", "bench_check.py", "floor", 1000, 3),
    ("tui", "bench_tui.py", "all", 1000, 3),
    ("export", "bench_export.py", "province", 250, 1),
    ("export", "bench_export.py", "province_skip", 250, 1),
    ("export", "bench_export.py", "record_province", 250, 1),
    ("export", "bench_export.py", "floor_province", 250, 1),
    ("export", "bench_export.py", "province", 1000, 1),
    ("export", "bench_export.py", "province_skip", 1000, 1),
    ("export", "bench_export.py", "record_province", 1000, 1),
    ("export", "bench_export.py", "floor_province", 1000, 1),
    ("export", "bench_export.py", "departments", 250, 1),
    ("export", "bench_export.py", "record_departments", 250, 1),
    ("export", "bench_export.py", "floor_departments", 250, 1),
)

START, END = "<!-- results:start -->", "<!-- results:end -->"


def run_part(script: str, part: str, n: int, repeat: int) -> dict[str, Any]:
    """One part in a fresh interpreter; returns its RESULT plus the child's peak RSS and wall time."""
    command = [sys.executable, str(BENCH / script), "--only", part, "--repeat", str(repeat)]
    if n:
        command += ["--n", str(n)]
    print("$", " ".join(command[1:]), flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=BENCH.parent)
    assert process.stdout is not None
    result: dict[str, Any] = {}
    for line in process.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
        else:
            print("   ", line, end="", flush=True)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    result["child_peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    result["child_seconds"] = round(time.perf_counter() - started, 2)
    result["exit_code"] = process.returncode
    if process.returncode != 0:
        print(f"    !! {script} --only {part} exited with {process.returncode}", flush=True)
    return result


def collect(only: str | None, select: list[str] | None = None) -> dict[str, Any]:
    latest = RESULTS / "latest.json"
    data: dict[str, Any] = json.loads(latest.read_text()) if latest.exists() else {"benchmarks": {}}
    data["machine"] = machine()
    for name, script, part, n, repeat in PLAN:
        if only and name != only:
            continue
        if select and f"{name}:{part}@{n}" not in select:
            continue
        if script == "bench_tui.py":  # start-up is once per process: run the process `repeat` times
            runs = [run_part(script, part, n, 1) for _ in range(repeat)]
            result = runs[-1]
            best: dict[str, dict[str, Any]] = {}
            for run in runs:
                for measured in run.get("parts", []):
                    kept = best.get(measured["part"])
                    if kept is None or measured["seconds"] < kept["seconds"]:
                        best[measured["part"]] = {**measured, "process_runs": [
                            p["seconds"] for r in runs for p in r.get("parts", []) if p["part"] == measured["part"]]}
            result["parts"] = list(best.values())
            result["child_peak_rss_mb"] = max(run["child_peak_rss_mb"] for run in runs)
        else:
            result = run_part(script, part, n, repeat)
        key = f"{name}@{n}" if n else name
        entry = data["benchmarks"].setdefault(key, {"name": name, "n": n, "parts": {}})
        if result.get("parts"):
            entry["parts"].pop(part, None)  # a part that failed before and has now run
        for measured in result.get("parts", []):
            # The part's own peak: the process it timed, or else the benchmark child that ran it alone.
            measured["peak_rss_mb"] = measured.get("process_peak_rss_mb") or result["child_peak_rss_mb"]
            measured["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            entry["parts"][measured["part"]] = measured
        if not result.get("parts"):
            entry["parts"].setdefault(part, {})["error"] = f"exit code {result['exit_code']}, no result"
        for key_name in ("dataset", "target_seconds", "target_ratio", "target_peak_mb", "targets"):
            if key_name in result:
                entry[key_name] = result[key_name]
        data["updated"] = datetime.now(UTC).isoformat(timespec="seconds")
        RESULTS.mkdir(parents=True, exist_ok=True)
        latest.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    return data


def _s(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 0.01:
        return f"{value * 1000:.2f} ms"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def table(data: dict[str, Any]) -> str:
    """The README's results table, from ``latest.json``."""
    bench = data.get("benchmarks", {})
    rows: list[str] = [
        "| what | N | figure (wall / CPU) | floor (wall / CPU) | ratio (wall / CPU) | peak RSS (figure / floor) | target | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def part(key: str, name: str) -> dict[str, Any]:
        return dict(bench.get(key, {}).get("parts", {}).get(name, {}))

    def line(what: str, n: int | str, fig: dict[str, Any], flo: dict[str, Any], target: str, ok: bool | None) -> None:
        verdict = "—" if ok is None else ("met" if ok else "**missed**")
        rows.append(
            f"| {what} | {n} | {_s(fig.get('seconds'))} / {_s(fig.get('cpu_seconds'))} | "
            f"{_s(flo.get('seconds'))} / {_s(flo.get('cpu_seconds'))} | "
            f"{_ratio(fig.get('seconds'), flo.get('seconds'))} / {_ratio(fig.get('cpu_seconds'), flo.get('cpu_seconds'))} | "
            f"{fig.get('peak_rss_mb', '—')} / {flo.get('peak_rss_mb', '—')} MB | {target} | {verdict} |"
        )

    fig, flo = part("import", "figure"), part("import", "floor")
    if fig:
        line("import of the sample (cold, first call)", "—", fig, flo, "< 0.5 s", fig["seconds"] < 0.5)
        warm = part("import", "warm")
        if warm:
            line("import of the sample (warm)", "—", warm, flo, "—", None)
    for key in sorted(k for k in bench if k.startswith("check@")):
        n = bench[key]["n"]
        fig, flo = part(key, "figure"), part(key, "floor")
        if fig.get("seconds") is not None:
            # What the user waits for: the command's wall time against the floor's, both fresh processes.
            ok = fig["seconds"] < 5 and fig["seconds"] <= 3 * flo.get("seconds", 0)
            processes = fig.get("processes") or "?"
            line(f"`check --all-departments` (whole year; {processes} processes)", n, fig, flo,
                 "< 5 s and ≤ 3× floor", ok)
        for name, label in (("serial", "… with `--jobs 1` (one process)"), ("rules", "… load + rules in-process, no CLI (warm caches)"),
                            ("load", "… loading alone")):
            sub = part(key, name)
            if sub:
                line(label, n, sub, flo, "—", None)
    for key in sorted((k for k in bench if k.startswith("export@")), key=lambda k: bench[k]["n"]):
        n = bench[key]["n"]
        for figure_name, floor_name, label in (
            ("province", "floor_province", "consolidated export, year workbook (`export --all-departments`)"),
            ("departments", "floor_departments", "per-department workbooks, every department"),
        ):
            fig, flo = part(key, figure_name), part(key, floor_name)
            if fig.get("seconds") is not None:
                ok = (flo.get("cpu_seconds") is not None and fig["cpu_seconds"] <= 1.3 * flo["cpu_seconds"]
                      and fig.get("peak_rss_mb", 1e9) < 300)
                line(label, n, fig, flo, "≤ 1.3× floor, < 300 MB", ok)
            if figure_name == "province":
                skip = part(key, "province_skip")
                if skip.get("seconds") is not None:
                    line("… year workbook with `--skip-checks`", n, skip, flo, "—", None)
    tui = bench.get("tui@1000", {}).get("parts", {})
    for name, label, target in (("startup", "TUI start-up to first screen", 1.5), ("open", "TUI opening a project (median)", 0.1),
                                ("recheck", "TUI re-check after one edit", 0.05)):
        measured = tui.get(name)
        if measured:
            floor = tui.get("check") if name == "recheck" else {}
            line(label, 1000, measured, floor or {}, f"< {_s(target)}", measured["seconds"] < target)
    return "\n".join(rows)


def machine_text(data: dict[str, Any]) -> str:
    m = data.get("machine", {})
    return (f"Machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('memory')} memory, Python {m.get('python')}, "
            f"SQLite {m.get('sqlite')}, {m.get('platform')}. Last updated {data.get('updated', '—')}.")


def write_readme(data: dict[str, Any]) -> None:
    readme = BENCH / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} … {END} block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    block = f"{START}\n{machine_text(data)}\n\n{table(data)}\n{END}"
    readme.write_text(head + block + tail, encoding="utf-8")
    print(f"updated {readme}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted({name for name, *_ in PLAN}))
    parser.add_argument("--readme-only", action="store_true")
    parser.add_argument("--select", nargs="+", metavar="NAME:PART@N",
                        help="only these parts, e.g. check:figure@1000 export:floor_departments@250")
    args = parser.parse_args()
    data = json.loads((RESULTS / "latest.json").read_text()) if args.readme_only else collect(args.only, args.select)
    write_readme(data)


if __name__ == "__main__":
    main()
