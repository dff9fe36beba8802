"""Start-up budget of ``peelcalc grade``, as a ratio to importing Typer.

Runs ``peelcalc grade examples/gloucestershire-2015.toml`` and
``python -c "import typer"`` alternately, so that both see the same machine load,
and prints the median wall time of each and their ratio. The issue's target is
a ratio of at most 1.8. For context it also times importing the libraries a
plain ``grade`` loads (a plain ``peelcalc grade FILE`` does not load Typer, see
``peelcalc/launch.py``), which no run of it can go below.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "gloucestershire-2015.toml"
TARGET = 1.8


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def wall_on_terminal(command: list[str]) -> float:
    """The same, with stdout on a pseudo-terminal 100 columns wide, so tables are coloured."""
    leader, follower = os.openpty()

    def drain() -> None:  # a terminal's buffer is small: read as the command writes
        with contextlib.suppress(OSError):
            while os.read(leader, 65536):
                pass

    reader = threading.Thread(target=drain)
    reader.start()
    start = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": ""},
    )
    elapsed = time.perf_counter() - start
    os.close(follower)
    reader.join()
    os.close(leader)
    return elapsed


def _describe(grade: list[str]) -> None:
    """Say which peelcalc is measured, and warn when it must compile itself on every run."""
    python = Path(grade[0]).parent / "python" if len(grade) == 1 else Path(sys.executable)
    where = subprocess.run(
        [str(python), "-c", "import peelcalc; print(peelcalc.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(sys.executable).anchor,  # not the checkout, which would shadow the install
    ).stdout.strip()
    package = Path(where).parent
    print(f"measuring {' '.join(grade)} (package {package})")
    if not (package / "__pycache__").is_dir():
        print(
            "warning: peelcalc has no compiled byte-code here (an editable install with "
            "PYTHONDONTWRITEBYTECODE set?), so every run compiles it; 'pip install .' "
            "compiles it once"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of each command (default 40)")
    args = parser.parse_args()
    peelcalc = shutil.which("peelcalc")
    grade = [peelcalc] if peelcalc else [sys.executable, "-m", "peelcalc"]
    commands = {
        "peelcalc grade (table)": [*grade, "grade", str(EXAMPLE)],
        "  the same on a terminal": [*grade, "grade", str(EXAMPLE)],
        "peelcalc grade --format json": [*grade, "grade", str(EXAMPLE), "--format", "json"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        # What the libraries a plain 'grade' uses cost to import before peelcalc does
        # anything: attrs, rich (console, table, panel) and tomli.
        "imports alone (the floor)": [
            sys.executable,
            "-c",
            "import attrs, rich.console, rich.table, rich.panel, tomli",
        ],
    }
    _describe(grade)
    for command in commands.values():  # warm the file cache and byte-code
        wall(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            timer = wall_on_terminal if name.endswith("on a terminal") else wall
            times[name].append(timer(command))
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    base = medians["python -c 'import typer'"]
    print(f"runs per command: {args.runs}, alternated")
    for name, median in medians.items():
        print(f"{name:32} median {median * 1000:7.1f} ms   ratio {median / base:4.2f}")
    ratio = medians["peelcalc grade (table)"] / base
    verdict = "within" if ratio <= TARGET else "over"
    print(f"grade / import typer = {ratio:.2f} ({verdict} the target of {TARGET})")


if __name__ == "__main__":
    main()
