"""Moving values across boundary changes (totals conserved, method recorded), population-weighted
lookups, and crime counts -> rates per 1,000 residents."""
import csv

import pytest

from loaders import lsoa_population, ward_profiles
from loaders.core import LoadOptions, load_csv
from safestats import db


def _indicator(conn, code, additive):
    conn.execute("INSERT INTO landscape.indicator (indicator_code, name, theme, unit, additive, source, "
                 "licence, level) VALUES (%s, %s, 'Population', %s, %s, 'test', 'test', 'tst')",
                 (code, code, "count" if additive else "rate", additive))


def _values(conn, code, values, level="tst", vintage=1):
    for area, v in values.items():
        conn.execute("INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, "
                     "period, period_start, value) VALUES (%s, %s, %s, %s, '2020', '2020-01-01', %s)",
                     (code, level, vintage, area, v))


@pytest.fixture
def toy_lookup(conn):
    """from A, B (level tst 1) to X, Y (level tst 2): A is 1/4 in X and 3/4 in Y, B wholly in Y."""
    conn.execute("DELETE FROM ref.area_lookup WHERE from_level = 'tst'")
    for f, t, w in (("A", "X", 0.25), ("A", "Y", 0.75), ("B", "Y", 1.0)):
        conn.execute("INSERT INTO ref.area_lookup (from_level, from_vintage, from_code, to_level, "
                     "to_vintage, to_code, weight, method) "
                     "VALUES ('tst', 1, %s, 'tst', 2, %s, %s, 'area-weighted')",
                     (f, t, w))
    yield
    conn.execute("DELETE FROM landscape.indicator WHERE source = 'test'")
    conn.execute("DELETE FROM ref.area_lookup WHERE from_level = 'tst'")


def test_counts_are_apportioned_and_totals_conserved(conn, toy_lookup):
    _indicator(conn, "t_count", True)
    _values(conn, "t_count", {"A": 100, "B": 40})
    assert conn.execute("SELECT safestats.move_indicator('t_count', 'tst', 1, 'tst', 2)").fetchone()[0] == 2
    got = dict(conn.execute("SELECT area_code, value FROM landscape.indicator_value "
                            "WHERE indicator_code = 't_count' AND vintage = 2").fetchall())
    assert got == {"X": 25, "Y": 115} and sum(got.values()) == 140
    method = conn.execute("SELECT DISTINCT method FROM landscape.indicator_value "
                          "WHERE indicator_code = 't_count' AND vintage = 2").fetchone()[0]
    assert method == "area-weighted from tst 1 (apportioned count)"


def test_rates_become_size_weighted_means(conn, toy_lookup):
    _indicator(conn, "t_rate", False)
    _indicator(conn, "t_size", True)
    _values(conn, "t_rate", {"A": 10, "B": 20})
    _values(conn, "t_size", {"A": 100, "B": 300})
    conn.execute("SELECT safestats.move_indicator('t_rate', 'tst', 1, 'tst', 2, NULL, NULL, 't_size')")
    got = dict(conn.execute("SELECT area_code, value FROM landscape.indicator_value "
                            "WHERE indicator_code = 't_rate' AND vintage = 2").fetchall())
    # Y = (0.75*100*10 + 1*300*20) / (0.75*100 + 300) = 6750 / 375
    assert got["X"] == pytest.approx(10) and got["Y"] == pytest.approx(18.0)


def test_a_published_value_is_never_overwritten(conn, toy_lookup):
    _indicator(conn, "t_keep", True)
    _values(conn, "t_keep", {"A": 100, "B": 40})
    _values(conn, "t_keep", {"Y": 999}, vintage=2)
    conn.execute("SELECT safestats.move_indicator('t_keep', 'tst', 1, 'tst', 2)")
    got = dict(conn.execute("SELECT area_code, method FROM landscape.indicator_value "
                            "WHERE indicator_code = 't_keep' AND vintage = 2").fetchall())
    assert got == {"X": "area-weighted from tst 1 (apportioned count)", "Y": "published"}


def test_unknown_indicator_or_lookup_says_what_to_do(conn, toy_lookup):
    import psycopg
    with pytest.raises(psycopg.errors.RaiseException, match="safestats.indicators"):
        conn.execute("SELECT safestats.move_indicator('nope', 'tst', 1, 'tst', 2)")
    _indicator(conn, "t_x", True)
    with pytest.raises(psycopg.errors.RaiseException, match="no lookup"):
        conn.execute("SELECT safestats.move_indicator('t_x', 'tst', 1, 'tst', 9)")


@pytest.fixture(scope="module")
def real(db_url, shared_data, tmp_path_factory):
    ds = shared_data / "datastore"
    with db.connect(db_url) as conn:
        opts = LoadOptions(quiet=True, rejects_dir=tmp_path_factory.mktemp("rej"))
        load_csv(conn, ward_profiles.SOURCE, ds / "ward-profiles-excel-version.csv", opts)
        lsoa_population.load(conn, ds / "london-mid2020-pop.csv", opts)
    return ds


def test_real_ward_counts_conserved_through_2014_and_area_weighted_2018(real, conn):
    # 2011 -> 2014: one-to-one for the 570 unchanged wards
    conn.execute("SELECT safestats.move_indicator('wp_population', 'ward', 2011, 'ward', 2014)")
    t11 = conn.execute("SELECT sum(v.value) FROM landscape.indicator_value v "
                       "JOIN ref.area a ON a.level = 'ward' AND a.vintage = 2011 AND a.code = v.area_code "
                       "WHERE v.indicator_code = 'wp_population' "
                       "AND v.level = 'ward' AND v.vintage = 2011").fetchone()[0]
    t14, n14 = conn.execute("SELECT sum(value), count(*) FROM landscape.indicator_value "
                            "WHERE indicator_code = 'wp_population' AND level = 'ward' "
                            "AND vintage = 2014").fetchone()
    assert n14 == 570 and t14 == pytest.approx(t11)
    conn.execute("SELECT safestats.move_indicator('wp_population', 'ward', 2014, 'ward', 2018, "
                 "'area-weighted')")
    t18, method = conn.execute("SELECT sum(value), min(method) FROM landscape.indicator_value "
                               "WHERE indicator_code = 'wp_population' AND level = 'ward' "
                               "AND vintage = 2018").fetchone()
    assert t18 == pytest.approx(t14, rel=1e-9)
    assert method == "area-weighted from ward 2014 (apportioned count)"


def test_population_weighted_lookup_weights_sum_to_one(real, conn):
    n = conn.execute("SELECT safestats_internal.build_population_lookup('ward', 2014, 'ward', 2018)"
                     ).fetchone()[0]
    assert n >= 650
    bad = conn.execute("SELECT from_code, sum(weight) FROM ref.area_lookup "
                       "WHERE method = 'population-weighted' AND from_level = 'ward' AND from_vintage = 2014 "
                       "AND to_vintage = 2018 GROUP BY 1 "
                       "HAVING abs(sum(weight) - 1) > 1e-9").fetchall()
    assert bad == []
    # moving LSOA population to 2018 wards through a population-weighted best fit conserves London's total
    conn.execute("SELECT safestats_internal.build_population_lookup('lsoa', 2011, 'ward', 2018)")
    conn.execute("SELECT safestats.move_indicator('pop_persons_all_ages', 'lsoa', 2011, 'ward', 2018, "
                 "'population-weighted')")
    a, b = conn.execute("SELECT (SELECT sum(value) FROM landscape.indicator_value WHERE indicator_code = "
                        "'pop_persons_all_ages' AND level = 'lsoa'), "
                        "(SELECT sum(value) FROM landscape.indicator_value "
                        "WHERE indicator_code = 'pop_persons_all_ages' AND level = 'ward' "
                        "AND vintage = 2018)").fetchone()
    assert b == pytest.approx(a)


def test_crime_rates_skip_cleanly_without_crime_tables(real, conn):
    """Before the crime loaders are merged the tables do not exist; after, we hide them for the test
    (renamed inside a transaction that is rolled back)."""
    import psycopg
    notices = []
    conn.add_notice_handler(lambda d: notices.append(d.message_primary))
    with conn.transaction():
        for t in ("mps_lsoa_year", "mps_ward_month"):
            if conn.execute("SELECT to_regclass(%s)", (f"crime.{t}",)).fetchone()[0]:
                conn.execute(f"ALTER TABLE crime.{t} RENAME TO {t}_hidden_by_test")
        assert conn.execute("SELECT safestats_internal.build_crime_rate_indicators()").fetchone()[0] == 0
        raise psycopg.Rollback()
    assert any("crime.mps_lsoa_year is absent" in n for n in notices)
    assert any("crime.mps_ward_month is absent" in n for n in notices)


def test_crime_rates_per_1000_from_lsoa_counts(real, conn, shared_data):
    """Uses the crime loaders' table layout (created here when the crime loaders are not merged yet)."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS crime")
    conn.execute("CREATE TABLE IF NOT EXISTS crime.mps_lsoa_year (lsoa11_code text, borough_name text, "
                 "year smallint, major_category text, minor_category text, count numeric, load_id bigint)")
    conn.execute("DELETE FROM crime.mps_lsoa_year")
    load_id = conn.execute("INSERT INTO safestats.load (source, file_name) VALUES ('test', 'test') "
                           "RETURNING load_id").fetchone()[0]
    path = sorted((shared_data / "datastore" / "mps_lsoa_annual_crime_2011_2021").glob("*major*burglary*"))[0]
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))[:3]
    code_col = "LSOA11CD"
    year_cols = [k for k in rows[0] if k.strip().isdigit()][-2:]
    expected = {}
    for r in rows:
        for y in year_cols:
            conn.execute("INSERT INTO crime.mps_lsoa_year (lsoa11_code, borough_name, year, major_category, "
                         "minor_category, count, load_id) VALUES (%s, 'x', %s, 'Burglary', '', %s, %s)",
                         (r[code_col], int(y), float(r[y]), load_id))
            # a minor-category row is a subset of the major total: it must not be added to it
            conn.execute("INSERT INTO crime.mps_lsoa_year (lsoa11_code, borough_name, year, major_category, "
                         "minor_category, count, load_id) VALUES (%s, 'x', %s, 'Burglary', 'Burglary in a "
                         "dwelling', 1, %s)", (r[code_col], int(y), load_id))
            expected[(r[code_col], y)] = float(r[y])
    n = conn.execute("SELECT safestats_internal.build_crime_rate_indicators()").fetchone()[0]
    assert n > 0
    for (lsoa, y), count in expected.items():
        pop = conn.execute("SELECT value FROM landscape.indicator_value "
                           "WHERE indicator_code = 'pop_persons_all_ages' AND area_code = %s",
                           (lsoa,)).fetchone()[0]
        v, lo, hi, ss = conn.execute("SELECT value, lower, upper, sample_size FROM landscape.indicator_value "
                                     "WHERE indicator_code = 'crime_rate_burglary' AND level = 'lsoa' "
                                     "AND area_code = %s AND period = %s", (lsoa, y)).fetchone()
        assert v == pytest.approx(1000 * count / pop) and ss == count
        assert lo <= v <= hi
        total = conn.execute("SELECT value FROM landscape.indicator_value "
                             "WHERE indicator_code = 'crime_rate_total' AND level = 'lsoa' "
                             "AND area_code = %s AND period = %s", (lsoa, y)).fetchone()[0]
        assert total == pytest.approx(v)  # only burglary was inserted
    ward_rows = conn.execute("SELECT count(*) FROM landscape.indicator_value WHERE indicator_code = "
                             "'crime_rate_burglary' AND level = 'ward' AND vintage = 2014").fetchone()[0]
    assert ward_rows >= 1
    conn.execute("DELETE FROM crime.mps_lsoa_year WHERE load_id = %s", (load_id,))


def test_crime_rates_per_1000_from_ward_months(real, conn, shared_data):
    """crime.mps_ward_month (2022 wards) -> the latest 12 months and complete calendar years."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS crime")
    conn.execute("CREATE TABLE IF NOT EXISTS crime.mps_ward_month (ward_code text, ward_name text, "
                 "borough_name text, month date, major_category text, minor_category text, count integer, "
                 "load_id bigint)")
    conn.execute("DELETE FROM crime.mps_ward_month")
    load_id = conn.execute("INSERT INTO safestats.load (source, file_name) VALUES ('test', 'test') "
                           "RETURNING load_id").fetchone()[0]
    with open(shared_data / "datastore" / "mps_ward_level_crime_most_recent_24_months.csv",
              encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["WardCode"] in ("E05013714", "E05013715")]
    months = sorted(k for k in rows[0] if k.isdigit())
    last12 = months[-12:]
    expected: dict[tuple, float] = {}
    for r in rows:
        for m in months:
            conn.execute("INSERT INTO crime.mps_ward_month (ward_code, ward_name, borough_name, month, "
                         "major_category, minor_category, count, load_id) "
                         "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                         (r["WardCode"], r["WardName"], r["LookUp_BoroughName"], f"{m[:4]}-{m[4:]}-01",
                          r["MajorText"], r["MinorText"], int(r[m]), load_id))
            if m in last12:
                expected[(r["WardCode"], "Total")] = expected.get((r["WardCode"], "Total"), 0) + int(r[m])
    conn.execute("SELECT safestats_internal.build_crime_rate_indicators()")
    period = f"12 months to {last12[-1][:4]}-{last12[-1][4:]}"
    for (ward, _), count in expected.items():
        pop = conn.execute("SELECT sum(l.weight * p.value) FROM ref.area_lookup l "
                           "JOIN landscape.indicator_value p ON p.indicator_code = 'pop_persons_all_ages' "
                           "AND p.level = 'lsoa' AND p.area_code = l.from_code "
                           "WHERE l.from_level = 'lsoa' AND l.to_level = 'ward' AND l.to_vintage = 2022 "
                           "AND l.method = 'population-weighted' AND l.to_code = %s",
                           (ward,)).fetchone()[0]
        v, ss = conn.execute("SELECT value, sample_size FROM landscape.indicator_value "
                             "WHERE indicator_code = 'crime_rate_total' AND level = 'ward' "
                             "AND vintage = 2022 AND area_code = %s AND period = %s",
                             (ward, period)).fetchone()
        assert ss == count and v == pytest.approx(1000 * count / pop)
    years = {r[0] for r in conn.execute("SELECT DISTINCT period FROM landscape.indicator_value "
                                        "WHERE indicator_code = 'crime_rate_total' "
                                        "AND vintage = 2022").fetchall()}
    complete = {m[:4] for m in months if sum(1 for x in months if x[:4] == m[:4]) == 12}
    assert years == complete | {period}
    conn.execute("DELETE FROM crime.mps_ward_month WHERE load_id = %s", (load_id,))


@pytest.mark.slow
def test_crime_rates_from_the_crime_loaders(real, conn, shared_data, tmp_path):
    """End to end with the crime loaders (issue 3): load the MPS ward file and two LSOA files (a major
    total and a minor subset of another major), then check rates against the files."""
    from loaders import mps_lsoa, mps_ward
    conn.execute("DELETE FROM crime.mps_ward_month")
    conn.execute("DELETE FROM crime.mps_lsoa_year")
    ds = shared_data / "datastore"
    opts = LoadOptions(quiet=True, rejects_dir=tmp_path, force=True)
    assert load_csv(conn, mps_ward.SOURCE, ds / "mps_ward_level_crime_most_recent_24_months.csv",
                    opts).status == "loaded"
    lsoa_dir = ds / "mps_lsoa_annual_crime_2011_2021"
    for name in ("london-2011-2021-major-robbery.csv", "london-2011-2021-minor-theft-bicycle.csv"):
        assert load_csv(conn, mps_lsoa.SOURCE, lsoa_dir / name, opts).status == "loaded"
    assert conn.execute("SELECT safestats_internal.build_crime_rate_indicators()").fetchone()[0] > 0
    # ward 2022, latest 12 months, one ward: the file's counts without Heathrow's SO18 rows
    with open(ds / "mps_ward_level_crime_most_recent_24_months.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    months = sorted(k for k in rows[0] if k.isdigit())[-12:]
    ward = "E05013714"
    count = sum(int(float(r[m])) for r in rows if r["WardCode"] == ward
                and r["LookUp_BoroughName"] != "Aviation Security (SO18)" for m in months)
    ss, method = conn.execute("SELECT sample_size, method FROM landscape.indicator_value "
                              "WHERE indicator_code = 'crime_rate_total' AND level = 'ward' "
                              "AND vintage = 2022 AND area_code = %s "
                              "AND period LIKE '12 months to%%'", (ward,)).fetchone()
    assert ss == count and "crime.mps_ward_month" in method
    # LSOA: robbery from its major file; theft only from the bicycle minor file (no theft total loaded)
    with open(lsoa_dir / "london-2011-2021-major-robbery.csv", encoding="utf-8-sig", newline="") as f:
        rob = {r["LSOA11CD"]: float(r["2019"]) for r in csv.DictReader(f)}
    lsoa = next(k for k, v in rob.items() if v > 0)
    got = dict(conn.execute("SELECT indicator_code, sample_size FROM landscape.indicator_value "
                            "WHERE level = 'lsoa' AND area_code = %s AND period = '2019' "
                            "AND indicator_code LIKE 'crime_rate_%%'",
                            (lsoa,)).fetchall())
    assert got["crime_rate_robbery"] == rob[lsoa]
    assert got["crime_rate_total"] == rob[lsoa] + got.get("crime_rate_theft", 0)
