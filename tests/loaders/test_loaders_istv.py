"""ISTV A&E loader on synthetic extracts (several hospitals' layouts, encodings, CSV and Excel)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders import istv
from loaders.core import LoadOptions, LoadRefused
from safestats import synth_istv


def _opts(tmp_path, **kw) -> LoadOptions:
    return LoadOptions(quiet=True, rejects_dir=tmp_path / "rejects", **kw)


@pytest.fixture(scope="module")
def extracts(tmp_path_factory) -> list[Path]:
    return synth_istv.write(tmp_path_factory.mktemp("istv"), rows=600, seed=7)


@pytest.fixture(scope="module")
def loaded(db_url, extracts, tmp_path_factory, shared_data):
    from safestats import db
    tmp = tmp_path_factory.mktemp("rej")
    with db.connect(db_url) as c:
        return {p.name: istv.load(c, p, LoadOptions(quiet=True, rejects_dir=tmp)) for p in extracts}


def test_synth_is_deterministic_and_varied(extracts, tmp_path):
    again = synth_istv.write(tmp_path, rows=600, seed=7)
    assert [p.read_bytes() for p in again if p.suffix == ".csv"] == \
           [p.read_bytes() for p in extracts if p.suffix == ".csv"]
    gstt = next(p for p in extracts if p.name.startswith("gstt"))
    raw = gstt.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")                      # really Windows-1252
    stg = next(p for p in extracts if p.name.startswith("stgeorges"))
    assert stg.read_bytes().startswith(b"\xef\xbb\xbf") and b";" in stg.read_bytes().splitlines()[0]
    assert sum(p.suffix == ".xlsx" for p in extracts) == 3
    with open(next(p for p in extracts if p.name.startswith("kings")), encoding="utf-8") as f:
        texts = {r["Assault Location Description"] for r in csv.DictReader(f)}
    assert {"HOME", "not known"} & texts and any("tube" in t.lower() or "stn" in t.lower() for t in texts)


def test_every_layout_loads_with_its_mapping(conn, loaded, extracts):
    assert all(r.status == "loaded" and r.rows_rejected == 0 for r in loaded.values()), \
        [r.line() for r in loaded.values()]
    maps = dict(conn.execute("SELECT mapping, count(*) FROM health.ae_assault GROUP BY 1").fetchall())
    assert set(maps) == {"ecds-standard", "trust-uk-dates", "excel-monthly", "single-site-semicolon"}
    assert sum(maps.values()) == sum(r.rows_loaded for r in loaded.values())


def test_free_text_hospital_names_reconcile_to_site_codes(conn, loaded):
    got = dict(conn.execute("SELECT hospital_name_given, min(site_code) FROM health.ae_assault "
                            "WHERE hospital_name_given IS NOT NULL GROUP BY 1").fetchall())
    expected = {name: code for code, names in synth_istv.HOSPITAL_NAMES.items() for name in names}
    assert got and all(expected[n] == c for n, c in got.items())
    assert "St Thomas\u2019 Hospital" in got       # the curly apostrophe survived Windows-1252


def test_reconcile_refuses_ambiguous_and_unknown_names():
    sites = [("R1HKH", "Whipps Cross University Hospital"), ("RATAC", "Whipps Cross Hospital"),
             ("RJ122", "St Thomas' Hospital"), ("RJZ01", "King's College Hospital (Denmark Hill)")]
    m = istv.reconcile_sites(["Whipps Cross", "KINGS COLLEGE HOSP", "rj122", "Mars General"], sites)
    assert m["KINGS COLLEGE HOSP"][0] == "RJZ01"
    assert m["rj122"][0] == "RJ122"
    assert m["Whipps Cross"][0] is None and "ambiguous" in m["Whipps Cross"][2]
    assert m["Mars General"][0] is None and "not recognised" in m["Mars General"][2]


def test_times_are_london_wall_clock_and_periods_as_given_or_derived(conn, loaded):
    # 01/04 is summer time: a King's row at 12:00 local is 11:00 UTC. Check one row per layout.
    rows = conn.execute("""SELECT mapping, site_code, period_start, period_end FROM health.ae_assault
                           GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3""").fetchall()
    excel = [r for r in rows if r[0] == "excel-monthly"]
    assert {(r[2].month, r[3].day) for r in excel} == {(1, 31), (2, 29), (3, 31)}   # derived months
    assert all((r[2].isoformat(), r[3].isoformat()) == ("2024-01-01", "2024-03-31")
               for r in rows if r[0] != "excel-monthly")
    # The Excel date cells and the DD/MM text came through as the same wall-clock minutes.
    bad = conn.execute("""SELECT count(*) FROM health.ae_assault WHERE arrival_at IS NULL
                          OR (assault_at IS NOT NULL AND assault_at > arrival_at)""").fetchone()[0]
    assert bad == 0


def test_resubmitted_period_replaces_the_old_one(conn, loaded, extracts, tmp_path):
    kings = next(p for p in extracts if p.name.startswith("kings"))
    lines = kings.read_text(encoding="utf-8").splitlines()
    resub = tmp_path / "kings_resubmitted.csv"
    resub.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    resent = {line.split(",")[0] for line in lines[1:11]}
    others = conn.execute("SELECT count(*) FROM health.ae_assault WHERE site_code <> ALL(%s)",
                          (list(resent),)).fetchone()[0]
    res = istv.load(conn, resub, _opts(tmp_path))
    assert res.rows_loaded == 10
    # The sites in the resubmission now hold only its rows; every other site (including King's UTC
    # when it is not in the resubmission) keeps what it had.
    assert conn.execute("SELECT count(*) FROM health.ae_assault WHERE site_code = ANY(%s)",
                        (list(resent),)).fetchone()[0] == 10
    assert conn.execute("SELECT count(*) FROM health.ae_assault WHERE site_code <> ALL(%s)",
                        (list(resent),)).fetchone()[0] == others


def test_type1_sites_are_marked_from_the_documented_list(conn, loaded):
    got = dict(conn.execute("SELECT site_type, count(*) FROM health.ae_site GROUP BY 1").fetchall())
    assert got["type1-ed"] == 28
    assert conn.execute("SELECT site_type FROM health.ae_site WHERE "
                        "site_code = 'RJ121'").fetchone()[0] == "other"


def test_unknown_layout_bad_dates_and_unknown_hospital(conn, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("Patient,When,Where\n1,2024-01-01,street\n", encoding="utf-8")
    with pytest.raises(LoadRefused, match="no ISTV mapping"):
        istv.load(conn, odd, _opts(tmp_path))
    f = tmp_path / "trust.csv"
    head = ("Hospital,Period From,Period To,Attendance Date/Time,Date/Time of Assault,Weapon "
            "Used,Weapon Other,"
            "Place Type,Location of Assault")
    f.write_bytes("\r\n".join([
        head,
        "St Thomas' Hospital,01/05/2024,31/05/2024,03/05/2024 01:10,03/05/2024 00:30,Blunt "
        "object,,Street,o/s café",
        "St Thomas' Hospital,01/05/2024,31/05/2024,31/02/2024 01:10,,Blunt object,,Street,HOME",
        "Hospital of Mars,01/05/2024,31/05/2024,03/05/2024 01:10,,Blunt object,,Street,HOME",
    ]).encode("cp1252") + b"\r\n")
    res = istv.load(conn, f, _opts(tmp_path))
    assert (res.rows_loaded, res.rows_rejected) == (1, 2)
    rej = conn.execute("SELECT line_no, reason FROM safestats.load_reject WHERE load_id = %s ORDER BY 1",
                       (res.load_id,)).fetchall()
    assert rej[0][0] == 3 and "date-time" in rej[0][1]
    assert rej[1][0] == 4 and "not recognised" in rej[1][1]
    assert conn.execute("SELECT location_text, arrival_at = '2024-05-03 00:10+00' FROM health.ae_assault "
                        "WHERE load_id = %s", (res.load_id,)).fetchone() == ("o/s café", True)


def test_empty_and_broken_excel_are_refused(conn, tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    p = tmp_path / "empty.xlsx"
    wb.save(p)
    with pytest.raises(LoadRefused, match="empty"):
        istv.load(conn, p, _opts(tmp_path))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(LoadRefused, match="Excel"):
        istv.load(conn, broken, _opts(tmp_path))


def test_geocode_hook_fills_points_and_areas_set_based(conn, extracts, tmp_path):
    """The loader's geocoding hook against the geocoder's contract. The real safestats.geocode (when
    installed) needs a loaded gazetteer, so it is set aside here for a function with the same
    signature that answers with the A&E site's own point (nothing for "not known"); the geocoder's
    own tests cover its answers."""
    real = conn.execute("SELECT to_regprocedure('safestats.geocode(text,text)') IS NOT NULL").fetchone()[0]
    try:
        if real:
            conn.execute("ALTER FUNCTION safestats.geocode(text, text) RENAME TO geocode_set_aside")
        # Without a geocoder the loader leaves geom NULL and says so in provenance.
        res = istv.load(conn, extracts[-1], _opts(tmp_path, force=True))
        note = conn.execute("SELECT details ->> 'geocoded' FROM safestats.load WHERE load_id = %s",
                            (res.load_id,)).fetchone()[0]
        assert "not installed" in note
        assert conn.execute("SELECT count(geom) FROM health.ae_assault WHERE load_id = %s",
                            (res.load_id,)).fetchone()[0] == 0
        conn.execute("""
            CREATE FUNCTION safestats.geocode(p_text text, p_site text)
            RETURNS TABLE (geom geometry(Point,27700), confidence real, radius_m real, level text,
                           matched text, ambiguous boolean, explain jsonb)
            LANGUAGE sql STABLE AS $$
              SELECT s.geom, 0.1::real, 5000::real, 'site', s.site_name, false,
                  '{"version": "test-site"}'::jsonb
              FROM health.ae_site s WHERE s.site_code = p_site AND lower(p_text) NOT IN ('not known',
                  'unknown')
            $$""")
        res = istv.load(conn, extracts[-1], _opts(tmp_path, force=True))
        got = conn.execute("""SELECT count(*), count(geom), count(borough_code), count(ward22_code),
                                     count(*) FILTER (WHERE lower(location_text) IN ('not known', 'unknown')),
                                     count(*) FILTER (WHERE geocode_version = 'test-site' AND geocode_level
                                         = 'site')
                              FROM health.ae_assault WHERE load_id = %s""", (res.load_id,)).fetchone()
        assert got[1] > 0 and got[1] == got[0] - got[4] == got[5]
        assert got[2] == got[3] == got[1]
        # St George's (RJ701) is in Wandsworth.
        assert conn.execute("SELECT array_agg(DISTINCT borough_code) FROM health.ae_assault "
                            "WHERE load_id = %s "
                            "AND geom IS NOT NULL", (res.load_id,)).fetchone()[0] == ["E09000032"]
    finally:
        conn.execute("DROP FUNCTION IF EXISTS safestats.geocode(text, text)")
        if real:
            conn.execute("ALTER FUNCTION safestats.geocode_set_aside(text, text) RENAME TO geocode")


@pytest.mark.slow
def test_real_geocoder_locates_records_on_load(conn, extracts, tmp_path):
    """End to end with the real parts: the shipped gazetteer, the real safestats.geocode, the ISTV
    loader's set-based hook and the area assignment."""
    from loaders.gazetteer import load_folder
    from safestats import config
    from safestats.geocoding.calibration import load_calibration_csv
    folder = config.SHIPPED_DATA_DIR / "gazetteer"
    if not conn.execute("SELECT count(*) FROM gazetteer.feature").fetchone()[0]:
        load_folder(conn, folder)
        load_calibration_csv(conn, folder / "geocode_calibration.csv")
    res = istv.load(conn, extracts[0], _opts(tmp_path, force=True))
    n, located, with_borough, levels, unknown_located, home_located = conn.execute("""
        SELECT count(*), count(geom), count(borough_code) FILTER (WHERE geom IS NOT NULL),
               count(geocode_level),
               count(geom) FILTER (WHERE lower(location_text) IN ('not known', 'unknown', 'n/k')),
               count(geom) FILTER (WHERE lower(location_text) = 'home')
        FROM health.ae_assault WHERE load_id = %s""", (res.load_id,)).fetchone()
    assert n == res.rows_loaded > 0
    assert levels == n, "every record carries the geocoder's level (none included)"
    assert located > n * 0.3, f"only {located} of {n} records located"
    assert with_borough == located, "a located London record gets its borough"
    assert unknown_located == 0 and home_located == 0
