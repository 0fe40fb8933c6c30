"""Time profiles (db/functions/520_violence_profiles.sql) against counts made by hand in Python from
the synthetic ISTV extracts (`safestats synth istv`, loaded by the ISTV loader) and LAS incidents."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


def nte(t: dt.datetime) -> bool:
    """Night-time economy by hand: Thu/Fri/Sat 20:00 to 05:59 the next morning (London time)."""
    local = t.astimezone(LONDON)
    wd = local.isoweekday()
    return (local.hour >= 20 and wd in (4, 5, 6)) or (local.hour < 6 and wd in (5, 6, 7))


@pytest.fixture(scope="module")
def istv(db_url, tmp_path_factory):
    import os

    from safestats import db
    from safestats.cli import main
    out = tmp_path_factory.mktemp("istv")
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = db_url
    try:
        assert main(["synth", "istv", "--rows", "900", "--seed", "18", "--out", str(out)]) == 0
        files = sorted(str(p) for p in out.rglob("*") if p.is_file())
        assert main(["load", "istv", *files, "--quiet", "--rejects-dir", str(out)]) == 0
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL")
        else:
            os.environ["DATABASE_URL"] = old
    with db.connect(db_url) as c:
        times = [r[0] for r in c.execute("SELECT coalesce(assault_at, arrival_at) FROM health.ae_assault")]
    assert len(times) >= 800 and all(t is not None for t in times)
    return times


def test_hour_of_week_equals_hand_counts(conn, istv):
    hand = Counter((t.astimezone(LONDON).isoweekday(), t.astimezone(LONDON).hour) for t in istv)
    rows = conn.execute("SELECT weekday, weekday_name, hour, records, nte "
                        "FROM safestats.violence_hour_week('ae-assault', '2000-01-01', '2030-12-31')"
                        ).fetchall()
    assert len(rows) == 168
    assert {(d, h): n for d, _, h, n, _ in rows} == {(d, h): hand.get((d, h), 0)
                                                     for d in range(1, 8) for h in range(24)}
    assert rows[0][1] == "Monday" and rows[-1][1] == "Sunday"
    assert sum(1 for r in rows if r[4]) == 30
    # Friday 23:00 and Saturday 02:00 are night-time economy; Tuesday 23:00 is not
    flags = {(d, h): f for d, _, h, _, f in rows}
    assert flags[(5, 23)] and flags[(6, 2)] and not flags[(2, 23)] and not flags[(4, 3)]


def test_month_and_night_share_equal_hand_counts(conn, istv):
    months = Counter(t.astimezone(LONDON).date().replace(day=1) for t in istv)
    first, last = min(months), max(months)
    rows = conn.execute("SELECT month, records FROM safestats.violence_by_month('ae-assault', %s, %s)",
                        (first, dt.date(last.year, 12, 31))).fetchall()
    assert dict(rows) == {m: months.get(m, 0) for m, _ in rows}
    assert len(rows) == 12 - first.month + 1
    assert sum(n for _, n in rows) == len(istv)
    k = sum(1 for t in istv if nte(t))
    n, nk, share, lo, hi, hours = conn.execute(
        "SELECT * FROM safestats.violence_nte_share('ae-assault', '2000-01-01', '2030-12-31')").fetchone()
    assert (n, nk) == (len(istv), k)
    assert share == pytest.approx(k / n) and lo < share < hi
    assert hours == pytest.approx(30 / 168)
    # Wilson by hand
    z, p = 1.959963984540054, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (lo, hi) == pytest.approx((centre - half, centre + half))


def test_two_period_rate_ratio(conn, istv):
    jan = sum(1 for t in istv if t.astimezone(LONDON).date() <= dt.date(2024, 1, 31)
              and t.astimezone(LONDON).date() >= dt.date(2024, 1, 1))
    feb = sum(1 for t in istv if dt.date(2024, 2, 1) <= t.astimezone(LONDON).date() <= dt.date(2024, 2, 29))
    r = conn.execute("SELECT * FROM safestats.violence_compare_periods('ae-assault', '2024-01-01', "
                     "'2024-01-31', '2024-02-01', '2024-02-29')").fetchone()
    n1, n2, t1, t2, rr, lo, hi, pval = r
    assert (n1, n2, t1, t2) == (jan, feb, 31, 29)
    assert rr == pytest.approx((feb / 29) / (jan / 31))
    assert lo < rr < hi
    # a planted doubling is detected: the same period against itself doubled in length halves the rate
    r2 = conn.execute("SELECT rate_ratio, ci_low, ci_high, p_value FROM safestats.violence_compare_periods("
                      "'ae-assault', '2024-01-01', '2024-01-31', '2024-01-01', '2024-03-31')").fetchone()
    assert r2[1] <= r2[0] <= r2[2]


def test_las_hour_week_and_street_crime_month(conn, db_url, tmp_path):
    import os

    from safestats import synth_incidents
    from safestats.cli import main
    path = synth_incidents.write_las_incidents(tmp_path / "las.csv", rows=300)
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = db_url
    try:
        assert main(["load", "las-incidents", str(path), "--quiet", "--rejects-dir", str(tmp_path)]) == 0
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL")
        else:
            os.environ["DATABASE_URL"] = old
    times = [r[0] for r in conn.execute("SELECT call_at FROM incident.las_assault")]
    assert len(times) > 100
    hand = Counter((t.astimezone(LONDON).isoweekday(), t.astimezone(LONDON).hour) for t in times)
    rows = conn.execute("SELECT weekday, hour, records FROM safestats.violence_hour_week('las-assault', "
                        "'2000-01-01', '2030-12-31')").fetchall()
    assert {(d, h): n for d, h, n in rows if n} == dict(hand)
    with pytest.raises(Exception, match="no time of day"):
        conn.execute("SELECT * FROM safestats.violence_hour_week('street-crime', '2024-01-01', '2024-02-01')")
