"""Gazetteer loading (`safestats load gazetteer`), the batch path (`safestats geocode --table`), the
labelled-set generator and the calibration fit — on a small real slice of the gazetteer files."""
from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from safestats import db
from safestats.geocoding import calibration, labelled

LEVELS = {"postcode", "venue", "junction", "street", "sector", "area", "district", "borough", "home", "none"}


def _codepoint_slice(src: Path, dest: Path) -> Path:
    with gzip.open(src, "rt", encoding="utf-8", newline="") as f, gzip.open(dest, "wt", encoding="utf-8",
                                                                              newline="") as out:
        r, w = csv.reader(f), csv.writer(out)
        w.writerow(next(r))
        for row in r:
            if row[0][:-3].strip() in ("SE5", "SE15", "SE1", "E1"):
                w.writerow(row)
    return dest


def _bus_stop_slice(src: Path, dest: Path) -> Path:
    """Bus stops in a box around south and central London (keeps the streets the tests use, and the
    gazetteer rebuild quick)."""
    with open(src, encoding="utf-8", newline="") as f, open(dest, "w", encoding="utf-8", newline="") as out:
        r, w = csv.reader(f), csv.writer(out)
        header = next(r)
        w.writerow(header)
        e, n = header.index("Location_Easting"), header.index("Location_Northing")
        for row in r:
            if row[e].isdigit() and row[n].isdigit() and 522000 <= int(row[e]) <= 542000 \
                    and 160000 <= int(row[n]) <= 186000:
                w.writerow(row)
    return dest


@pytest.fixture(scope="module")
def small_gaz(db_url, shared_data, tmp_path_factory):
    """Postcodes of three districts, stations, UEC sites, pubs, hospitals, bus stops, parks, loaded
    through the CLI's loader module, then rebuilt once."""
    from loaders import gazetteer
    from loaders.core import LoadOptions
    g = shared_data / "gazetteer"
    tmp = tmp_path_factory.mktemp("gazsmall")
    files = [_codepoint_slice(g / "codepoint_open_2018_london.csv.gz", tmp / "cp.csv.gz"),
             g / "tfl_stations_20180921.csv", g / "osm_pubs_london.csv",
             g / "nhs_choices_hospitals_london.csv",
             _bus_stop_slice(g / "tfl_bus_stops.csv", tmp / "bus_slice.csv"),
             g / "historic_england_registered_parks_london.geojson"]
    with db.connect(db_url) as conn:
        for f in files:
            assert gazetteer.load(conn, f, LoadOptions(quiet=True, rejects_dir=tmp,
                                                       extra={"no_rebuild": True})).status == "loaded"
        conn.execute("SELECT safestats_internal.gazetteer_rebuild()")
    return db_url


def test_parks_skips_each_have_a_reason(small_gaz):
    """The parks layer's rows not loaded (outside London, a repeated list entry) are counted by
    reason: none is left as 'the loader recorded no reason'."""
    with db.connect(small_gaz) as conn:
        read, loaded, rejected, skipped, reasons = conn.execute(
            "SELECT rows_read, rows_loaded, rows_rejected, rows_skipped, skipped FROM safestats.load "
            "WHERE source = 'gazetteer' AND file_name LIKE 'historic_england_registered_parks%' "
            "ORDER BY load_id DESC LIMIT 1").fetchone()
    assert skipped > 0 and read == loaded + rejected + skipped
    assert sum(reasons.values()) == skipped
    assert "outside London" in reasons and not any("no reason" in r for r in reasons)


def test_cli_load_fills_sites_and_reload_changes_nothing(small_gaz, run_cli, shared_data, tmp_path):
    uec = shared_data / "gazetteer" / "london_uec_sites_istv.csv"
    code, out, err = run_cli("load", "gazetteer", "--quiet", "--rejects-dir", tmp_path, uec)
    assert code == 0, err
    with db.connect(small_gaz) as conn:
        n_src = conn.execute("SELECT count(*) FROM gazetteer.source_feature "
                             "WHERE source = 'uec_sites'").fetchone()[0]
        n_site = conn.execute("SELECT count(*) FROM health.ae_site WHERE geom IS NOT NULL").fetchone()[0]
        assert n_src == 58 and n_site == 58
        n_feat = conn.execute("SELECT count(*) FROM gazetteer.feature WHERE kind = 'ae_site'").fetchone()[0]
        assert n_feat == 58
    code, out, err = run_cli("load", "gazetteer", "--rejects-dir", tmp_path, uec)
    assert code == 0 and "unchanged" in out
    # --force reloads: the rows are replaced, never duplicated.
    code, out, err = run_cli("load", "gazetteer", "--quiet", "--force", "--rejects-dir", tmp_path, uec)
    assert code == 0
    with db.connect(small_gaz) as conn:
        assert conn.execute("SELECT count(*) FROM gazetteer.source_feature "
                            "WHERE source = 'uec_sites'").fetchone()[0] == 58


def test_unverified_licence_file_is_refused(run_cli, shared_data, tmp_path):
    code, out, err = run_cli("load", "gazetteer", "--rejects-dir", tmp_path,
                             shared_data / "gazetteer" / "2013_police_counters.csv")
    assert code == 1
    assert "licence" in err and "2013_police_counters.csv" in err


def test_unknown_file_refused_naming_file_and_header(run_cli, tmp_path):
    f = tmp_path / "mystery.csv"
    f.write_text("colour,size\nred,3\n")
    code, out, err = run_cli("load", "gazetteer", "--rejects-dir", tmp_path, f)
    assert code == 1
    assert "mystery.csv" in err and "line 1" in err and "colour" in err


def test_bad_rows_rejected_with_line_and_reason(small_gaz, run_cli, shared_data, tmp_path):
    src = shared_data / "gazetteer" / "naptan_RailReferences.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:6]
    bad = rows[2].split(",")
    bad[6] = "not-an-easting"
    rows[2] = ",".join(bad)
    f = tmp_path / "rail_small.csv"
    f.write_text("\n".join([header] + rows) + "\n", encoding="utf-8")
    code, out, err = run_cli("load", "gazetteer", "--rejects-dir", tmp_path, "--no-rebuild", f)
    assert code == 0, err
    assert "1 rejected" in out
    rej = next(tmp_path.glob("gazetteer-*rail_small.csv.rejects.csv")).read_text()
    assert ",4," in rej and "not a number" in rej      # file line 4 (header is line 1)


def test_batch_geocode_stores_results_once(small_gaz, run_cli):
    with db.connect(small_gaz) as conn:
        pc = conn.execute("SELECT display FROM gazetteer.postcode "
                          "WHERE district = 'SE15' LIMIT 1").fetchone()[0]
        conn.execute("CREATE TABLE public.incident (id int PRIMARY KEY, loc text, site text)")
        texts = ["Peckham Rye station", "unknown", pc, "home", "", None, "'; DROP TABLE public.incident; --",
                 "se5", "nr camberwell green"] * 4
        conn.execute("INSERT INTO public.incident SELECT i, t, 'RJZ01' "
                     "FROM unnest(%s::text[]) WITH ORDINALITY u(t, i)", (texts,))
    code, out, err = run_cli("geocode", "--table", "public.incident", "--text-column", "loc",
                             "--site-column", "site", "--chunk", "7", "--quiet")
    assert code == 0, err
    assert f"{len(texts)} rows geocoded" in out
    with db.connect(small_gaz) as conn:
        rows = conn.execute("SELECT row_key, level, gazetteer_version FROM gazetteer.geocode_result "
                            "WHERE table_name = 'public.incident' ORDER BY row_key::int").fetchall()
        assert len(rows) == len(texts)
        version = conn.execute("SELECT safestats.gazetteer_version()").fetchone()[0]
        assert {r[2] for r in rows} == {version}
        by_key = {int(r[0]): r[1] for r in rows}
        assert by_key[2] == "none" and by_key[3] == "postcode" and by_key[4] == "home"
        assert conn.execute("SELECT to_regclass('public.incident')").fetchone()[0] is not None
    code, out, err = run_cli("geocode", "--table", "public.incident", "--text-column", "loc", "--quiet")
    assert code == 0 and out.startswith("0 rows")


def test_batch_fills_ae_assault_own_columns(small_gaz, run_cli):
    with db.connect(small_gaz) as conn:
        load_id = conn.execute("INSERT INTO safestats.load (source, file_name, status) "
                               "VALUES ('test', 'x', 'loaded') RETURNING load_id").fetchone()[0]
        conn.execute("INSERT INTO health.ae_assault (load_id, site_code, organisation_code, period_start, "
                     "period_end, location_text) "
                     "VALUES (%s, 'RJZ01', 'RJZ', '2024-01-01', '2024-01-31', 'peckham rye stn'), "
                     "(%s, 'RJZ01', 'RJZ', '2024-01-01', '2024-01-31', 'refused')", (load_id, load_id))
    code, out, err = run_cli("geocode", "--table", "health.ae_assault", "--text-column", "location_text",
                             "--site-column", "site_code", "--quiet")
    assert code == 0, err
    with db.connect(small_gaz) as conn:
        got = conn.execute("SELECT location_text, geocode_level, geom IS NOT NULL, "
                           "geocode_version IS NOT NULL FROM health.ae_assault ORDER BY record_id").fetchall()
    assert got[0][1] == "venue" and got[0][2] and got[0][3]
    assert got[1][1] == "none" and not got[1][2]


def test_cli_geocode_text_and_help(small_gaz, run_cli):
    code, out, err = run_cli("geocode", "--text", "peckham rye station", "--candidates", "3")
    assert code == 0 and "venue" in out and len(out.strip().splitlines()) <= 3
    with pytest.raises(SystemExit):
        run_cli("geocode", "--help")


def test_generator_is_reproducible_noisy_and_covers_every_level(small_gaz):
    with db.connect(small_gaz) as conn:
        a = labelled.generate(conn, 400)
        b = labelled.generate(conn, 400)
    assert [e.text for e in a] == [e.text for e in b]
    assert {e.level for e in a} == LEVELS
    assert sum(e.typo for e in a) / len(a) >= 0.25
    assert {e.split for e in a} == {"calibration", "report"}
    negatives = [e for e in a if e.level == "none"]
    assert negatives and all(e.x is None for e in negatives)


def test_generator_draw_does_not_depend_on_row_order(small_gaz):
    # Withholding venues rewrites rows; the next run must still draw the same set.
    with db.connect(small_gaz) as conn:
        a = labelled.generate(conn, 300)
        conn.execute("UPDATE gazetteer.feature SET active = active WHERE feature_id % 3 = 0")
        conn.execute("UPDATE gazetteer.postcode SET geom = geom WHERE postcode < 'M'")
        b = labelled.generate(conn, 300)
    assert [(e.text, e.x, e.y) for e in a] == [(e.text, e.x, e.y) for e in b]


def test_calibration_fit_is_monotone_and_read_by_sql(small_gaz):
    import random
    rng = random.Random(3)
    results = []
    for _ in range(400):
        score = rng.random()
        ok = rng.random() < score      # truly within the radius with probability = score
        results.append({"answer": "street", "located": True, "has_truth": True, "error": 10 if ok else 5000,
                        "radius": 100, "score": score, "key": "street"})
    with db.connect(small_gaz) as conn:
        n = calibration.fit_calibration(conn, results, "test")
        rows = conn.execute("SELECT score_lo, confidence FROM gazetteer.calibration WHERE level = 'street' "
                            "ORDER BY score_lo").fetchall()
        assert n == len(rows) > 2
        conf = [r[1] for r in rows]
        assert conf == sorted(conf) and conf[0] < 0.3 and conf[-1] > 0.7
        lo = conn.execute("SELECT safestats_internal.geocode_confidence('street', 0.05)").fetchone()[0]
        hi = conn.execute("SELECT safestats_internal.geocode_confidence('street', 0.97)").fetchone()[0]
        assert lo < hi
        conn.execute("DELETE FROM gazetteer.calibration")


def test_geocode_table_api_on_callers_connection(small_gaz):
    from safestats.geocoding.batch import TableError, geocode_table
    with db.connect(small_gaz) as conn:
        conn.execute("CREATE TABLE public.incident2 (ref text PRIMARY KEY, loc text)")
        conn.execute("INSERT INTO public.incident2 "
                     "VALUES ('a', 'peckham rye stn'), ('b', 'n/k'), ('c', NULL)")
        assert geocode_table(conn, "public.incident2", "loc", jobs=1, quiet=True) == 3
        assert geocode_table(conn, "public.incident2", "loc", jobs=1, quiet=True) == 0
        assert geocode_table(conn, "public.incident2", "loc", jobs=1, quiet=True, redo=True) == 3
        levels = dict(conn.execute("SELECT row_key, level FROM gazetteer.geocode_result "
                                   "WHERE table_name = 'public.incident2'").fetchall())
        assert levels == {"a": "venue", "b": "none", "c": "none"}
        with pytest.raises(TableError, match="no column 'no_such_column'"):
            geocode_table(conn, "public.incident2", "no_such_column", jobs=1, quiet=True)


def test_codepoint_padded_outward_codes_are_kept(small_gaz):
    """Code-Point pads short outward codes ("E1  0AA", two spaces): they are postcodes like any other."""
    with db.connect(small_gaz) as conn:
        rejected = conn.execute("""
            SELECT count(*) FROM safestats.load_reject r JOIN safestats.load l USING (load_id)
            WHERE l.source = 'gazetteer' AND l.file_name = 'cp.csv.gz'""").fetchone()[0]
        e1 = conn.execute("SELECT count(*) FROM gazetteer.postcode WHERE district = 'E1'").fetchone()[0]
        level, matched = conn.execute("SELECT level, matched "
                                      "FROM safestats.geocode('o/s e1 0aa', NULL)").fetchone()
    assert rejected == 0
    assert e1 > 100
    assert (level, matched) == ("postcode", "E1 0AA")


def test_calibration_never_lifts_a_poor_score_and_stops_at_the_lowest_seen(small_gaz):
    # 120 good venue answers scoring 0.85–1 (95% within the radius) and three poor matches at
    # 0.55–0.6, all wrong: the poor ones must stay low, not be shrunk up to the venues' overall rate,
    # and a score below anything the calibration saw gets no bin at all (falls back to 0.7 × score).
    import random
    rng = random.Random(7)
    results = [{"answer": "venue", "located": True, "has_truth": True, "radius": 60, "key": "venue",
                "score": 0.85 + 0.15 * rng.random(), "error": 10 if i % 20 else 5000} for i in range(120)]
    results += [{"answer": "venue", "located": True, "has_truth": True, "radius": 60, "key": "venue",
                 "score": s, "error": 8000} for s in (0.55, 0.58, 0.6)]
    with db.connect(small_gaz) as conn:
        calibration.fit_calibration(conn, results, "test")
        lowest = conn.execute("SELECT min(score_lo) FROM gazetteer.calibration "
                              "WHERE level = 'venue'").fetchone()[0]
        poor = conn.execute("SELECT safestats_internal.geocode_confidence('venue', 0.56)").fetchone()[0]
        good = conn.execute("SELECT safestats_internal.geocode_confidence('venue', 0.95)").fetchone()[0]
        below = conn.execute("SELECT safestats_internal.geocode_confidence('venue', 0.3)").fetchone()[0]
        conn.execute("DELETE FROM gazetteer.calibration")
    assert lowest == pytest.approx(0.55)
    assert poor < 0.3 < 0.8 < good
    assert below == pytest.approx(0.7 * 0.3)


def test_rare_keys_shrink_towards_their_levels_rate_and_chain_keys_get_one_bin(small_gaz):
    # 200 venue answers, 90% within their radius; a rare key of the same level (6 answers, 5 within) is
    # shrunk towards the venues' 90%, not towards one half; a chain key (60 answers spread over the
    # scores) gets one bin, since the score says nothing about how the branches spread.
    import random
    rng = random.Random(11)
    res = [{"answer": "venue", "located": True, "has_truth": True, "radius": 60, "key": "venue",
            "score": 0.7 + 0.3 * rng.random(), "error": 10 if i % 10 else 5000} for i in range(200)]
    res += [{"answer": "venue", "located": True, "has_truth": True, "radius": 60, "key": "venue far",
             "score": 0.9, "error": 10 if i else 5000} for i in range(6)]
    res += [{"answer": "venue", "located": True, "has_truth": True, "radius": 900,
             "key": "venue chain ambiguous", "score": 0.3 + 0.6 * rng.random(),
             "error": 10 if i % 5 < 3 else 5000} for i in range(60)]
    with db.connect(small_gaz) as conn:
        calibration.fit_calibration(conn, res, "test")
        rare = conn.execute("SELECT confidence, n FROM gazetteer.calibration "
                            "WHERE level = 'venue far'").fetchall()
        chain = conn.execute("SELECT confidence FROM gazetteer.calibration "
                             "WHERE level = 'venue chain ambiguous'").fetchall()
        conn.execute("DELETE FROM gazetteer.calibration")
    assert len(rare) == 1 and rare[0][1] == 6
    assert rare[0][0] > (5 + 2) / (6 + 4) + 0.05      # above the old shrink towards one half (0.70)
    assert len(chain) == 1 and chain[0][0] == pytest.approx(0.6, abs=0.06)
