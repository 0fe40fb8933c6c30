"""How many regular expressions a geocoding batch compiles: the diagnostic behind the geocoder's
"cheap test before the pattern" rule (db/functions/220_geocode.sql).

PostgreSQL keeps the 32 most recently used compiled patterns per session. A call that runs more distinct
patterns than that, in the same order every time, finds none of them compiled: each is compiled again on
every call, and that cost the geocoder a third of its speed. This script geocodes the evaluation mix on one
connection, with gdb attached to that connection's server process, and counts the calls to
``RE_compile_and_cache`` (patterns run) and ``pg_regcomp`` (patterns compiled, i.e. cache misses), and which
patterns were compiled. Once warm, a batch should compile nothing.

Needs gdb (with its Python), the right to trace the server process (root, or the server's own user) and
a server on this machine: a diagnostic for developers, not part of ``make bench`` or the tests.

    .venv/bin/python bench/trace_geocoder_regex.py [-n 200] [--warm 300]
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safestats import db  # noqa: E402
from safestats.geocoding.labelled import generate  # noqa: E402

# Run inside gdb: count both functions' calls; for a compile, read its pattern (a pg_wchar array:
# the second argument, its length the third).
GDB_SCRIPT = r'''
import collections, gdb
counts = collections.Counter()
runs = [0]
class Run(gdb.Breakpoint):
    def stop(self):
        runs[0] += 1
        return False
class Compile(gdb.Breakpoint):
    def stop(self):
        frame = gdb.selected_frame()
        start, n = int(frame.read_register("rsi")), int(frame.read_register("rdx"))
        raw = gdb.selected_inferior().read_memory(start, min(n, 160) * 4).tobytes()
        counts[raw.decode("utf-32le", "replace")] += 1
        return False
Run("RE_compile_and_cache")
Compile("pg_regcomp")
class Report(gdb.Command):
    def __init__(self):
        super().__init__("regex_report", gdb.COMMAND_USER)
    def invoke(self, arg, tty):
        with open(arg, "w") as f:
            f.write(f"{runs[0]}\t{sum(counts.values())}\n")
            for pattern, c in counts.most_common():
                f.write(f"{c}\t{pattern}\n")
Report()
'''


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="texts geocoded while traced (after the warm-up)")
    ap.add_argument("--warm", type=int, default=300, help="texts geocoded first, untraced")
    args = ap.parse_args(argv)
    if not shutil.which("gdb"):
        print("gdb is not installed (apt-get install gdb)", file=sys.stderr)
        return 2
    url = db.database_url()
    with db.connect(url) as conn:
        seen, mix = set(), []
        for e in generate(conn, 4000):
            if e.text not in seen:
                seen.add(e.text)
                mix.append((e.text, e.site_code))
    query = ("SELECT g.level FROM unnest(%s::text[], %s::text[]) AS x(t, s) "
             "CROSS JOIN LATERAL safestats.geocode(x.t, x.s) g")
    warm, traced = mix[:args.warm], mix[args.warm:args.warm + args.n]
    with tempfile.TemporaryDirectory() as tmp, db.connect(url) as conn:
        script, out = Path(tmp, "trace.py"), Path(tmp, "report.tsv")
        script.write_text(GDB_SCRIPT)
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.execute(query, ([t for t, _ in warm], [s for _, s in warm])).fetchall()
        gdb = subprocess.Popen(["gdb", "-q", "-p", str(pid), "-x", str(script), "-ex", "continue"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(5)   # attached and breakpoints set
        conn.execute(query, ([t for t, _ in traced], [s for _, s in traced])).fetchall()
        os.kill(gdb.pid, signal.SIGINT)
        time.sleep(1)
        gdb.communicate(f"regex_report {out}\ndetach\nquit\n".encode(), timeout=120)
        if not out.exists():
            print("gdb wrote no report: can this user trace the server process?", file=sys.stderr)
            return 1
        lines = out.read_text().splitlines()
    runs, compiles = (int(x) for x in lines[0].split("\t"))
    print(f"{len(traced)} texts: {runs} patterns run ({runs / len(traced):.1f} per text), "
          f"{compiles} compiled ({compiles / len(traced):.2f} per text), {len(lines) - 1} distinct compiled")
    for line in lines[1:]:
        c, pattern = line.split("\t", 1)
        print(f"{int(c):6d}  {pattern[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
