"""The loading core: encodings, line endings, header checks, set-based validation, rejects,
all-or-nothing per file, provenance, idempotent reloads."""
from __future__ import annotations

import csv

import pytest

from loaders.core import Check, Column, CsvSource, LoadError, LoadOptions, LoadRefused, load_csv


class ToySource(CsvSource):
    name = "toy"
    columns = [Column("name", "Name"), Column("amount", "Amount", aliases=("Amt",)),
               Column("day", "Day", aliases=("Date",))]
    checks = [Check("amount", "safestats_internal.try_numeric(amount) IS NOT NULL", "not a number"),
              Check("day", "safestats_internal.try_date(day) IS NOT NULL", "not a date (YYYY-MM-DD)")]

    def write(self, cur, ctx):
        cur.execute("INSERT INTO public.toy (load_id, line_no, name, amount, day) "
                    "SELECT %s, line_no, name, safestats_internal.try_numeric(amount), "
                    "safestats_internal.try_date(day) FROM stage",
                    (ctx.load_id,))
        return cur.rowcount


TOY = ToySource()


@pytest.fixture(autouse=True)
def toy_table(conn):
    conn.execute("CREATE TABLE IF NOT EXISTS public.toy (load_id bigint, line_no int, name text, "
                 "amount numeric, day date)")
    conn.execute("TRUNCATE public.toy")


def opts(tmp_path, **kw):
    return LoadOptions(quiet=True, rejects_dir=tmp_path / "rejects", **kw)


def count(conn):
    return conn.execute("SELECT count(*) FROM public.toy").fetchone()[0]


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("cp1252", "\r")])
def test_encodings_and_line_endings(conn, tmp_path, encoding, newline):
    f = tmp_path / f"toy-{encoding}.csv"
    text = newline.join(["Name,Amount,Day", "Café £,1.5,2024-01-31", '"Smith, J",2,2024-02-01', ""])
    f.write_bytes(text.encode(encoding))
    res = load_csv(conn, TOY, f, opts(tmp_path))
    assert res.status == "loaded" and res.rows_loaded == 2
    names = [r[0] for r in conn.execute("SELECT name FROM public.toy ORDER BY line_no")]
    assert names == ["Café £", "Smith, J"]


def test_bad_values_are_rejected_with_line_column_value_reason(conn, tmp_path):
    f = tmp_path / "toy.csv"
    f.write_text("Name,Amount,Day\nok,1,2024-01-01\nbad amount,one,2024-01-02\nbad day,3,2024-02-30\n"
                 "short,4\n")
    res = load_csv(conn, TOY, f, opts(tmp_path))
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (4, 1, 3)
    rejects = conn.execute("SELECT line_no, column_name, value, reason FROM safestats.load_reject "
                           "WHERE load_id = %s ORDER BY line_no", (res.load_id,)).fetchall()
    assert rejects == [(3, "amount", "one", "not a number"), (4, "day", "2024-02-30", "not a date "
                                                                                      "(YYYY-MM-DD)"),
                       (5, None, None, "expected 3 fields, found 2")]
    with open(res.rejects_file) as fh:
        rows = list(csv.DictReader(fh))
    assert [r["line"] for r in rows] == ["3", "4", "5"] and rows[0]["file"].endswith("toy.csv")


def test_strict_refuses_the_whole_file_and_keeps_nothing(conn, tmp_path):
    f = tmp_path / "toy.csv"
    f.write_text("Name,Amount,Day\nok,1,2024-01-01\nbad,x,2024-01-02\n")
    with pytest.raises(LoadRefused, match=r"(?s)toy\.csv: 1 bad value.*line 3: amount='x': not a number"):
        load_csv(conn, TOY, f, opts(tmp_path, strict=True))
    assert count(conn) == 0
    assert conn.execute("SELECT status FROM safestats.load ORDER BY "
                        "load_id DESC LIMIT 1").fetchone()[0] == "refused"


def test_header_that_does_not_fit_is_refused_listing_columns(conn, tmp_path):
    f = tmp_path / "other.csv"
    f.write_text("Name,Total,When\nx,1,2024-01-01\n")
    with pytest.raises(LoadRefused) as e:
        load_csv(conn, TOY, f, opts(tmp_path))
    msg = str(e.value)
    assert "other.csv" in msg and "missing:  Amount, Day" in msg and "found:    Name, Total, When" in msg
    assert count(conn) == 0


def test_header_aliases_are_accepted(conn, tmp_path):
    f = tmp_path / "alias.csv"
    f.write_text("NAME , amt,Date\nx,1,2024-01-01\n")
    assert load_csv(conn, TOY, f, opts(tmp_path)).rows_loaded == 1


def test_empty_and_header_only_files_are_refused(conn, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    only = tmp_path / "only.csv"
    only.write_text("Name,Amount,Day\n")
    with pytest.raises(LoadRefused, match="empty.csv: the file is empty"):
        load_csv(conn, TOY, empty, opts(tmp_path))
    with pytest.raises(LoadRefused, match="only.csv: no data rows"):
        load_csv(conn, TOY, only, opts(tmp_path))


def test_undecodable_bytes_name_the_line(conn, tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_bytes(b"Name,Amount,Day\n" + b"ok,1,2024-01-01\n" * 5
                  + b"caf\xc3\xa9,1,2024-01-01\nbad\x81\x81,1,2024-01-01\n")
    with pytest.raises(LoadRefused, match=r"mixed\.csv: line 8"):
        load_csv(conn, TOY, f, opts(tmp_path))
    assert count(conn) == 0


def test_reloading_the_same_file_never_duplicates(conn, tmp_path):
    f = tmp_path / "toy.csv"
    f.write_text("Name,Amount,Day\na,1,2024-01-01\nb,2,2024-01-02\n")
    first = load_csv(conn, TOY, f, opts(tmp_path))
    second = load_csv(conn, TOY, f, opts(tmp_path))
    assert first.status == "loaded" and second.status == "unchanged"
    assert count(conn) == 2
    prov = conn.execute("SELECT status, rows_read, rows_loaded, sha256 IS NOT NULL, duration IS NOT NULL "
                        "FROM safestats.load WHERE load_id = %s", (first.load_id,)).fetchone()
    assert prov == ("loaded", 2, 2, True, True)


def test_a_database_error_mid_write_rolls_back_the_file(conn, tmp_path):
    class Broken(ToySource):
        def write(self, cur, ctx):
            super().write(cur, ctx)
            cur.execute("SELECT 1/0")

    f = tmp_path / "toy.csv"
    f.write_text("Name,Amount,Day\na,1,2024-01-01\n")
    with pytest.raises(LoadError, match="toy.csv: the database refused the load: division by zero"):
        load_csv(conn, Broken(), f, opts(tmp_path))
    assert count(conn) == 0
    assert conn.execute("SELECT status FROM safestats.load ORDER BY "
                        "load_id DESC LIMIT 1").fetchone()[0] == "failed"
