"""Venue rankings, the police data gap, the published forms and who may see what
(db/functions/530, 540, 550): hand counts on planted records, row-level security on the
record-level forms, the linear-programming disclosure attack on the published tables, export and
the command line."""
from __future__ import annotations

import uuid

import psycopg
import pytest
from security_helpers import insert_ae_fixture, lp_attack, make_login

from safestats import db

SUFFIX = uuid.uuid4().hex[:6]
LAMBETH, SOUTHWARK = "E09000022", "E09000028"


def login_url(db_url: str, user: str) -> str:
    return db_url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)


@pytest.fixture(scope="module")
def planted(db_url):
    """The security tests' A&E fixture plus venues and records geocoded to them:
    pub 'The Test Arms' 5 records (trust RJZ), takeaway 'Chicken Test' 3 (RJ1), station 'Test Road' 2
    (RJ1), and 1 record at the pub's point answered at street level (not a venue record)."""
    with db.connect(db_url) as c:
        insert_ae_fixture(c, n=700, seed=18)
        pts = dict(c.execute(
            "SELECT code, ST_PointOnSurface(geom) FROM ref.area WHERE level = 'ward' AND vintage = 2022 "
            "AND parent_code IN (%s, %s) ORDER BY code LIMIT 3", (LAMBETH, SOUTHWARK)).fetchall())
        (w1, p1), (w2, p2), (w3, p3) = list(pts.items())
        venues = [("The Test Arms", "pub", None, p1), ("Chicken Test", "venue", "Takeaway/sandwich shop", p2),
                  ("Test Road", "station", None, p3)]
        ids = {}
        for name, kind, btype, geom in venues:
            key = f"t-{name}"
            if btype:
                c.execute("INSERT INTO gazetteer.source_feature (source, source_key, kind, name, geom, "
                          "extra, licence) VALUES ('fsa', %s, 'venue', %s, %s, "
                          "jsonb_build_object('business_type', %s::text), 'OGL')", (key, name, geom, btype))
            ids[name] = c.execute(
                "INSERT INTO gazetteer.feature (kind, level, name, norm, geom, radius_m, borough_code, "
                "source, source_key, licence) VALUES (%s, 'venue', %s, lower(%s), %s, 50, "
                "safestats.borough_at(%s, 2022), %s, %s, 'test') RETURNING feature_id",
                (kind, name, name, geom, geom, "fsa" if btype else "test", key)).fetchone()[0]
        plan = [("The Test Arms", p1, "RJZ", 5, "venue"), ("Chicken Test", p2, "RJ1", 3, "venue"),
                ("Test Road", p3, "RJ1", 2, "venue"), ("The Test Arms", p1, "RJZ", 1, "street")]
        for name, geom, org, n, level in plan:
            c.execute("""
              UPDATE health.ae_assault a SET geom = %s, geocode_level = %s, geocode_matched = %s,
                     ward22_code = safestats.ward_at(%s, 2022), borough_code = safestats.borough_at(%s, 2022),
                     lsoa21_code = safestats.lsoa_at(%s, 2021)
              WHERE record_id IN (SELECT record_id FROM health.ae_assault
                                  WHERE organisation_code = %s AND geocode_level <> 'street'
                                    AND geocode_matched IS NULL ORDER BY record_id LIMIT %s)""",
                      (geom, level, name, geom, geom, geom, org, n))
        # police.uk violence in January 2024: 40 in Lambeth, 10 in Southwark, 7 robberies in Lambeth
        load_id = c.execute("INSERT INTO safestats.load (source, file_name, sha256, status) "
                            "VALUES ('police-uk', 'planted.csv', %s, 'loaded') RETURNING load_id",
                            (uuid.uuid4().hex,)).fetchone()[0]
        for k, (borough, n, ctype) in enumerate([(LAMBETH, 40, "Violence and sexual offences"),
                                                 (SOUTHWARK, 10, "Violence and sexual offences"),
                                                 (LAMBETH, 7, "Robbery")]):
            c.execute("INSERT INTO crime.street_crime (month, force, crime_type, location_status, load_id, "
                      "source_line, borough_code, ward22_code) "
                      "SELECT '2024-01-01', 'metropolitan', %s, 'ok', %s, 100 * %s + g, %s, NULL "
                      "FROM generate_series(1, %s) g", (ctype, load_id, k, borough, n))
        users = {"kings": f"v_kings_{SUFFIX}", "analyst": f"v_an_{SUFFIX}", "public": f"v_pub_{SUFFIX}"}
        make_login(c, users["kings"], "safestats_health", organisations=["RJZ"])
        make_login(c, users["analyst"], "safestats_analyst")
        make_login(c, users["public"], "safestats_public")
    yield {"ids": ids, "users": users}
    with db.connect(db_url) as c:
        for n in users.values():
            try:
                c.execute(f'DROP OWNED BY "{n}"')
                c.execute(f'DROP ROLE IF EXISTS "{n}"')
            except psycopg.Error:
                pass


def test_venues_ranked_with_hand_counts(conn, planted):
    rows = conn.execute("SELECT rank, feature_id, venue_name, venue_type, records, per_30_days "
                        "FROM safestats.violence_venues('2024-01-01', '2024-03-31')").fetchall()
    assert [(r[2], r[3], r[4]) for r in rows] == [("The Test Arms", "pub, bar or nightclub", 5),
                                                  ("Chicken Test", "takeaway", 3),
                                                  ("Test Road", "station", 2)]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[0][5] == pytest.approx(5 * 30 / 91)
    assert rows[0][1] == planted["ids"]["The Test Arms"]
    only = conn.execute("SELECT venue_name FROM safestats.violence_venues('2024-01-01', '2024-03-31', "
                        "'takeaway')").fetchall()
    assert only == [("Chicken Test",)]
    types = conn.execute("SELECT venue_type, sum(venues), sum(records) FROM "
                         "safestats.violence_venue_types('2024-01-01', '2024-03-31', 'london') GROUP BY 1 "
                         "ORDER BY 3 DESC").fetchall()
    assert types == [("pub, bar or nightclub", 1, 5), ("takeaway", 1, 3), ("station", 1, 2)]


def test_record_level_forms_obey_row_level_security(db_url, planted):
    u = planted["users"]
    with db.connect(login_url(db_url, u["kings"])) as c:
        rows = c.execute("SELECT venue_name, records FROM safestats.violence_venues('2024-01-01', "
                         "'2024-03-31')").fetchall()
        assert rows == [("The Test Arms", 5)], "a King's user sees only King's records"
        mine = c.execute("SELECT count(*) FROM health.ae_assault").fetchone()[0]
        hw = c.execute("SELECT sum(records) FROM safestats.violence_hour_week('ae-assault', '2000-01-01', "
                       "'2030-12-31')").fetchone()[0]
        assert hw == mine
        hs = c.execute("SELECT max(records_used) + max(records_spread) + max(records_excluded) FROM "
                       "safestats.violence_hotspots('ae-assault', '2024-01-01', '2024-03-31', 1000)"
                       ).fetchone()[0]
        assert hs == mine
    with db.connect(login_url(db_url, u["analyst"])) as c, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT * FROM safestats.violence_venues('2024-01-01', '2024-03-31')")


def test_police_gap_hand_counts(conn, planted):
    rows = {r[0]: r for r in conn.execute(
        "SELECT area_code, area_name, month, ae_assaults, police_violence, ratio, ci_low, ci_high "
        "FROM safestats.violence_police_gap('2024-01-01', '2024-01-31', 'borough', 'police-uk')")}
    ae = dict(conn.execute(
        "SELECT borough_code, count(*) FROM health.ae_assault WHERE borough_code IS NOT NULL AND "
        "(coalesce(assault_at, arrival_at) AT TIME ZONE 'Europe/London')::date BETWEEN '2024-01-01' AND "
        "'2024-01-31' GROUP BY 1").fetchall())
    lam = rows[LAMBETH]
    assert lam[1] == "Lambeth" and (lam[3], lam[4]) == (ae[LAMBETH], 40)
    assert lam[5] == pytest.approx(ae[LAMBETH] / 40) and lam[6] < lam[5] < lam[7]
    assert (rows[SOUTHWARK][3], rows[SOUTHWARK][4]) == (ae[SOUTHWARK], 10)
    # highest ratio first
    ratios = [r[5] for r in conn.execute("SELECT * FROM safestats.violence_police_gap('2024-01-01', "
                                         "'2024-01-31')") if r[5] is not None]
    assert ratios == sorted(ratios, reverse=True)
    by_month = conn.execute("SELECT month, ae_assaults, police_violence FROM safestats.violence_police_gap("
                            "'2024-01-01', '2024-02-29', 'borough', 'police-uk', true) WHERE area_code = %s "
                            "ORDER BY month", (LAMBETH,)).fetchall()
    assert [m.isoformat()[:7] for m, _, _ in by_month] == ["2024-01", "2024-02"]
    assert by_month[0][2] == 40 and by_month[1][2] == 0


def _public(conn, query):
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL ROLE safestats_public")
        return conn.execute(query).fetchall()


def attack(published, truth: dict, threshold=5):
    """LP attack on protect_table-style rows (row, col, shown, suppressed); every withheld figure
    must keep an interval at least `threshold` wide."""
    rows = sorted({r for r, _ in truth} | {r for r, c, *_ in published if r is not None})
    cols = sorted({c for _, c in truth} | {c for r, c, *_ in published if c is not None})
    cells, rt, ct, grand = {}, {}, {}, None
    for r, c, shown, sup in published:
        assert (shown is None) == sup
        if r is not None and c is not None:
            cells[(r, c)] = shown
            if shown is not None:
                assert shown == truth.get((r, c), 0) and not 1 <= shown < threshold
        elif r is not None:
            rt[r] = shown
        elif c is not None:
            ct[c] = shown
        else:
            grand = shown
    for r in rows:
        for c in cols:
            cells.setdefault((r, c), truth.get((r, c), 0))
    have_grand = any(r is None and c is None for r, c, *_ in published)
    bounds = lp_attack(cells, rt, ct, grand if have_grand else None, rows, cols)
    withheld = {(r, c) for r, c, s, sup in published if sup}
    for key, (lo, hi) in bounds.items():
        if key in withheld:
            assert hi - lo >= threshold - 1e-6, f"{key} pinned to [{lo}, {hi}]"
    return len(withheld)


def test_published_hour_week_survives_the_lp_attack(conn, planted):
    pub = _public(conn, "SELECT day_of_week, hour, assaults, suppressed FROM open.violence_ae_hour_week")
    truth = {(f"{d}-{n}", f"{h:02d}"): k for d, n, h, k in conn.execute(
        "SELECT weekday, trim(to_char(date '2024-01-01' + (weekday - 1), 'Dy')), hour, count(*) "
        "FROM health.ae_assault_coarse WHERE weekday IS NOT NULL GROUP BY 1, 2, 3")}
    assert sum(truth.values()) >= 700
    assert attack(pub, truth) > 0


def test_published_venue_types_survive_the_lp_attack(conn, planted):
    pub = _public(conn, "SELECT borough_code, venue_type, assaults, suppressed "
                        "FROM open.violence_ae_venue_type")
    truth = {(b, t): n for b, t, n in conn.execute(
        "SELECT borough_code, venue_type, count(DISTINCT record_id) FROM safestats.violence_ae_venue_link "
        "GROUP BY 1, 2")}
    assert sum(truth.values()) == 10
    assert all(s is None or s >= 5 or s == 0 for _, _, s, _ in pub)
    attack(pub, truth)


def test_published_ward_hotspots_and_gap_add_nothing_to_the_ward_table(conn, planted):
    ward = {w: (n, s) for w, n, s in _public(conn, "SELECT ward_code, assaults, suppressed "
                                                    "FROM open.ae_assault_ward WHERE ward_code IS NOT NULL")}
    hot = _public(conn, "SELECT ward_code, assaults, suppressed, hotspot, borough_code "
                        "FROM open.violence_ae_ward_hotspot")
    assert len(hot) == 684 and {h for *_, h, _ in hot} <= {"hot", "cold", "not significant"}
    for w, n, s, _, _ in hot:
        assert (n, s) == ward.get(w, (0, False))
    truth = {(w, "all"): n for w, n in conn.execute(
        "SELECT ward22_code, count(*) FROM health.ae_assault WHERE ward22_code IS NOT NULL GROUP BY 1")}
    attack([(w, "all", n, s) for w, n, s, _, _ in hot if n != 0 or s], truth)
    gap = _public(conn, "SELECT borough_code, ae_assaults, suppressed, police_violence, ratio, ci_low, "
                        "ci_high FROM open.violence_police_gap_borough")
    assert gap
    for b, a, s, p, ratio, lo, hi in gap:
        wards = [(n, sup) for w, n, sup, _, bc in hot if bc == b and (n or sup)]
        assert s == any(sup for _, sup in wards)
        if not s:
            assert a == sum(n for n, _ in wards)
            if p:
                assert ratio == pytest.approx(a / p) and lo <= ratio <= hi
        else:
            assert a is None and ratio is None
    month = _public(conn, "SELECT month, assaults, suppressed FROM open.violence_ae_month")
    assert month and all(m is not None for m, _, _ in month)


def test_export_and_public_cannot_read_records(run_cli, planted, tmp_path, db_url):
    out = tmp_path / "hw.csv"
    code, _, err = run_cli("export", "open.violence_ae_hour_week", "--out", out)
    assert code == 0, err
    lines = out.read_text().splitlines()
    assert lines[0].startswith("day_of_week,hour,assaults,suppressed") and len(lines) > 100
    with db.connect(login_url(db_url, planted["users"]["public"])) as c, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT * FROM safestats.violence_ae_venue_link")


def test_command_line(run_cli, planted):
    code, out, err = run_cli("violence", "hotspots", "ae-assault", "--from", "2024-01-01", "--to",
                             "2024-03-31", "--cell", "500", "--borough", LAMBETH, "--borough", SOUTHWARK)
    assert code == 0, err
    assert "used whole" in out and "Hottest first" in out
    code, out, err = run_cli("violence", "hotspots", "ae-assault", "--level", "ward")
    assert code == 0, err
    assert "wards" in out
    code, out, err = run_cli("violence", "profile", "ae-assault", "--compare", "2024-02-01", "2024-02-29")
    assert code == 0, err
    assert "Mon" in out and "night-time-economy share" in out and "rate_ratio" in out
    code, out, err = run_cli("violence", "venues")
    assert code == 0, err
    assert "The Test Arms" in out
    code, out, err = run_cli("violence", "gap", "--from", "2024-01-01", "--to", "2024-01-31")
    assert code == 0, err
    assert "Lambeth" in out
    code, out, err = run_cli("violence", "hotspots", "street-crime", "--from", "2024-01-01", "--to",
                             "2024-01-31", "--cell", "5")
    assert code == 2 and "cell size" in err
