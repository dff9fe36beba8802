"""Drawing ``peelcalc grade``'s table, as a ratio to writing the same result as JSON.

Grades ``examples/gloucestershire-2015.toml`` once, then renders it over and over in
one process, the measured things alternating in each round:

* ``json``: the JSON format, the reference every figure is divided by;
* ``table``: the table format as ``peelcalc grade`` draws it (no colour, 100 wide);
* ``table, no shortcuts``: the same table with rich measuring every cell and drawing
  every style itself (:func:`peelcalc.render.table.draw` with ``shortcuts=False``),
  which draws the very same bytes;
* ``margins and ranges``: the outlook that each format computes first, alone.

Times are CPU seconds of this process (on a busy machine wall time also counts the
time other processes held the core); medians are reported, with the ratios.

    python benchmarks/render.py [--rounds N] [--width W] [--color]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peelcalc.render import Style, render  # noqa: E402
from peelcalc.render.common import outlook  # noqa: E402
from peelcalc.render.table import draw  # noqa: E402
from peelcalc.workflow import grade_file  # noqa: E402

EXAMPLE = ROOT / "examples" / "gloucestershire-2015.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="rounds (default 200)")
    parser.add_argument("--width", type=int, default=100, help="console width (default 100)")
    parser.add_argument("--color", action="store_true", help="draw the table in colour")
    args = parser.parse_args()
    result = grade_file(EXAMPLE).result
    style = Style(color=args.color, width=args.width)
    measured: dict[str, Callable[[], object]] = {
        "json (reference)": lambda: render(result, "json", style),
        "table": lambda: render(result, "table", style),
        "table, no shortcuts": lambda: draw(result, style, shortcuts=False),
        "margins and ranges": lambda: outlook(result),
    }
    assert draw(result, style) == draw(result, style, shortcuts=False)
    times: dict[str, list[float]] = {name: [] for name in measured}
    for run in measured.values():  # warm up: imports, caches
        run()
    for _ in range(args.rounds):
        for name, run in measured.items():
            start = time.process_time()
            run()
            times[name].append(time.process_time() - start)
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    base = medians["json (reference)"]
    colour = "colour" if args.color else "no colour"
    print(f"{EXAMPLE.name}, {args.width} wide, {colour}: {args.rounds} rounds, alternated")
    for name, median in medians.items():
        print(f"{name:22} median {median * 1000:6.2f} ms CPU   ratio to json {median / base:5.2f}")


if __name__ == "__main__":
    main()
