"""Issue 13, item 6: the smaller points of the probe, each tried again."""
# ruff: noqa: E501  (CSV fixture lines read better whole)
from __future__ import annotations

import gzip

import psycopg
import pytest

from loaders import istv
from loaders.core import Check, Column, CsvSource, LoadError, LoadOptions, load_csv
from safestats import db


class PlainSource(CsvSource):
    name = "sec_plain"
    columns = [Column("name", "Name"), Column("amount", "Amount")]
    checks = [Check("amount", "safestats_internal.try_numeric(amount) IS NOT NULL", "not a number")]

    def write(self, cur, ctx):
        cur.execute("INSERT INTO public.sec_plain (load_id, name) SELECT %s, name FROM stage", (ctx.load_id,))
        return cur.rowcount


PLAIN = PlainSource()


@pytest.fixture(autouse=True)
def plain_table(conn):
    conn.execute("CREATE TABLE IF NOT EXISTS public.sec_plain (load_id bigint, name text)")


def opts(tmp_path, **kw):
    return LoadOptions(quiet=True, rejects_dir=tmp_path / "rejects", **kw)


def test_a_nul_byte_names_its_line(conn, tmp_path):
    f = tmp_path / "nul.csv"
    f.write_bytes(b"Name,Amount\nok,1\nfine,2\nbro\x00ken,3\n")
    with pytest.raises(LoadError) as e:
        load_csv(conn, PLAIN, f, opts(tmp_path))
    assert "line 4" in str(e.value) and "NUL" in str(e.value), str(e.value)


def test_a_gzip_file_is_recognised(conn, tmp_path):
    f = tmp_path / "data.csv"
    f.write_bytes(gzip.compress(b"Name,Amount\nok,1\n"))
    with pytest.raises(LoadError) as e:
        load_csv(conn, PLAIN, f, opts(tmp_path))
    msg = str(e.value)
    assert "gzip" in msg and ".csv.gz" in msg and "cp1252" not in msg, msg
    # named as what it is, it loads
    g = tmp_path / "data.csv.gz"
    g.write_bytes(f.read_bytes())
    assert load_csv(conn, PLAIN, g, opts(tmp_path)).rows_loaded == 1


ISTV_HEAD = ("Hospital,Period From,Period To,Attendance Date/Time,Date/Time of Assault,Weapon Used,Weapon Other,"
             "Place Type,Location of Assault")


def test_istv_blank_location_is_rejected_and_a_huge_site_refused_clearly(conn, tmp_path):
    f = tmp_path / "gstt-blank.csv"
    f.write_bytes("\r\n".join([
        ISTV_HEAD,
        "St Thomas' Hospital,01/06/2024,30/06/2024,03/06/2024 01:10,,Blunt object,,Street,o/s the station",
        "St Thomas' Hospital,01/06/2024,30/06/2024,04/06/2024 01:10,,Blunt object,,Street,   ",
    ]).encode("cp1252") + b"\r\n")
    res = istv.load(conn, f, opts(tmp_path))
    assert (res.rows_loaded, res.rows_rejected) == (1, 1)
    reason = conn.execute("SELECT column_name, reason FROM safestats.load_reject WHERE load_id = %s",
                          (res.load_id,)).fetchone()
    assert reason[0] == "location_text" and "location" in reason[1]
    # a long hospital / site value: that row is rejected as too long (no index error) ...
    long_ = tmp_path / "gstt-long.csv"
    long_.write_bytes("\r\n".join([
        ISTV_HEAD,
        "X" * 5000 + ",01/07/2024,31/07/2024,03/07/2024 01:10,,Blunt object,,Street,o/s the station",
        "St Thomas' Hospital,01/07/2024,31/07/2024,04/07/2024 01:10,,Blunt object,,Street,o/s the station",
    ]).encode("cp1252") + b"\r\n")
    res = istv.load(conn, long_, opts(tmp_path))
    assert (res.rows_loaded, res.rows_rejected) == (1, 1)
    why, value = conn.execute("SELECT r.reason, h.value FROM safestats.load_reject r JOIN health.load_reject h "
                              "USING (load_id, line_no) WHERE r.load_id = %s", (res.load_id,)).fetchone()
    assert "too long" in why
    assert value is None or len(value) < 1100          # stored clipped, never whole
    # ... and a 1 MB one refuses the file, naming the line and the problem
    big = tmp_path / "gstt-big.csv"
    big.write_bytes("\r\n".join([
        ISTV_HEAD,
        "X" * 1_000_000 + ",01/07/2024,31/07/2024,03/07/2024 01:10,,Blunt object,,Street,o/s the station",
    ]).encode("cp1252") + b"\r\n")
    with pytest.raises(LoadError) as e:
        istv.load(conn, big, opts(tmp_path))
    assert "line 2" in str(e.value) and "too long" in str(e.value) and len(str(e.value)) < 500


def test_geocode_table_refuses_an_injected_name_without_traceback(run_cli):
    code, out, err = run_cli("geocode", "--table", "a; DROP TABLE ref.area; --", "--text-column", "x")
    assert code != 0
    assert "Traceback" not in err and "Traceback" not in out
    assert "a; DROP" in err or "table" in err.lower()


def test_killed_loads_are_marked_interrupted(conn, db_url):
    # a load whose process died: its row says running and no backend holds it
    dead = conn.execute("INSERT INTO safestats.load (source, file_name, sha256) VALUES ('sec_plain', 'dead.csv', "
                        "'x') RETURNING load_id").fetchone()[0]
    # a load still in progress in another session (holds its lock, as run_load does)
    from loaders.provenance import hold_load_lock
    with db.connect(db_url) as other:
        alive = other.execute("INSERT INTO safestats.load (source, file_name, sha256) VALUES ('sec_plain', "
                              "'alive.csv', 'y') RETURNING load_id").fetchone()[0]
        hold_load_lock(other, alive)
        n = conn.execute("SELECT safestats.mark_interrupted_loads()").fetchone()[0]
        assert n >= 1
        got = dict(conn.execute("SELECT load_id, status FROM safestats.load WHERE load_id IN (%s, %s)",
                                (dead, alive)).fetchall())
        assert got == {dead: "interrupted", alive: "running"}
    with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
        conn.execute("SET LOCAL ROLE safestats_analyst")
        conn.execute("SELECT safestats.mark_interrupted_loads()")


def test_unchanged_is_not_claimed_when_the_rows_were_replaced(conn, tmp_path):
    """Load A, then B replacing A's period for the same site, then A again."""
    def extract(name, when):
        f = tmp_path / name
        f.write_bytes("\r\n".join([
            ISTV_HEAD,
            f"St Thomas' Hospital,01/08/2024,31/08/2024,{when} 01:10,,Blunt object,,Street,o/s the station",
        ]).encode("cp1252") + b"\r\n")
        return f
    a, b = extract("gstt-aug-a.csv", "03/08/2024"), extract("gstt-aug-b.csv", "05/08/2024")
    ra = istv.load(conn, a, opts(tmp_path))
    rb = istv.load(conn, b, opts(tmp_path))
    assert ra.status == rb.status == "loaded"
    # A again: not "unchanged — identical to load N" as if its rows were there; it says they were replaced
    again = istv.load(conn, a, opts(tmp_path))
    assert again.status == "unchanged" and f"load {rb.load_id}" in again.message and "replaced" in again.message
    assert conn.execute("SELECT count(*) FROM health.ae_assault WHERE load_id = %s", (rb.load_id,)
                        ).fetchone()[0] == 1
    # B, whose rows are all there, is plainly unchanged; forced, A loads over B
    assert "replaced" not in istv.load(conn, b, opts(tmp_path)).message
    forced = istv.load(conn, a, opts(tmp_path, force=True))
    assert forced.status == "loaded" and forced.rows_loaded == 1
