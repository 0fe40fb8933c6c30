"""The violence tables' frozen, dated releases (db/functions/560_violence_releases.sql): what the public
role reads and `safestats export` writes. The attacker of tests/security/test_security_disclosure.py,
widened: one linear program over every table of a release at once (ward x month, ward layer,
hour-week, venue-type, with what the attacker knows links them), and one over two consecutive
releases with the number of records that changed between them known; plus the differencing rule (a
table that moved by a few records keeps its last release's figures)."""
from __future__ import annotations

import uuid

import numpy as np
import psycopg
import pytest
from scipy.optimize import linprog
from scipy.sparse import lil_matrix
from security_helpers import insert_ae_fixture, make_login

from safestats import db

THRESHOLD = 5
SUFFIX = uuid.uuid4().hex[:6]
LAMBETH, SOUTHWARK, TOWER_HAMLETS = "E09000022", "E09000028", "E09000030"
VIEWS = ["violence_ae_hour_week_release", "violence_ae_month_release", "violence_ae_venue_type_release",
         "violence_ae_ward_hotspot_release", "violence_police_gap_borough_release"]


def login_url(db_url: str, user: str) -> str:
    return db_url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)


@pytest.fixture(scope="module")
def fixture_db(db_url):
    """900 A&E records of four trusts (the security tests' fixture), 41 of them geocoded to five
    venues in three boroughs, police.uk violence for the gap, and a public login."""
    with db.connect(db_url) as c:
        insert_ae_fixture(c, n=900, seed=31)
        venues = [("Release Arms", "pub", None, LAMBETH, 14), ("Release Tap", "pub", None, SOUTHWARK, 9),
                  ("Chicken Release", "venue", "Takeaway/sandwich shop", LAMBETH, 7),
                  ("Release Road", "station", None, TOWER_HAMLETS, 8),
                  ("Release Kebabs", "venue", "Takeaway/sandwich shop", SOUTHWARK, 3)]
        for k, (name, kind, btype, borough, n) in enumerate(venues):
            geom = c.execute("SELECT ST_PointOnSurface(geom) FROM ref.area WHERE level = 'ward' AND "
                             "vintage = 2022 AND parent_code = %s ORDER BY code OFFSET %s LIMIT 1",
                             (borough, k)).fetchone()[0]
            key = f"rel-{name}"
            if btype:
                c.execute("INSERT INTO gazetteer.source_feature (source, source_key, kind, name, geom, "
                          "extra, licence) VALUES ('fsa', %s, 'venue', %s, %s, "
                          "jsonb_build_object('business_type', %s::text), 'OGL')", (key, name, geom, btype))
            c.execute("INSERT INTO gazetteer.feature (kind, level, name, norm, geom, radius_m, borough_code, "
                      "source, source_key, licence) VALUES (%s, 'venue', %s, lower(%s), %s, 50, %s, %s, %s, "
                      "'test')", (kind, name, name, geom, borough, "fsa" if btype else "test", key))
            c.execute("""
              UPDATE health.ae_assault a SET geom = %s, geocode_level = 'venue', geocode_matched = %s,
                     ward22_code = safestats.ward_at(%s, 2022), borough_code = safestats.borough_at(%s, 2022),
                     lsoa21_code = safestats.lsoa_at(%s, 2021)
              WHERE record_id IN (SELECT record_id FROM health.ae_assault WHERE geocode_matched IS NULL
                                  ORDER BY md5(record_id::text) LIMIT %s)""",
                      (geom, name, geom, geom, geom, n))
        load_id = c.execute("INSERT INTO safestats.load (source, file_name, sha256, status) "
                            "VALUES ('police-uk', 'release.csv', %s, 'loaded') RETURNING load_id",
                            (uuid.uuid4().hex,)).fetchone()[0]
        for k, (borough, n) in enumerate([(LAMBETH, 60), (SOUTHWARK, 35), (TOWER_HAMLETS, 20)]):
            c.execute("INSERT INTO crime.street_crime (month, force, crime_type, location_status, load_id, "
                      "source_line, borough_code) SELECT '2024-02-01', 'metropolitan', "
                      "'Violence and sexual offences', 'ok', %s, 1000 * %s + g, %s "
                      "FROM generate_series(1, %s) g",
                      (load_id, k, borough, n))
        public = make_login(c, f"v_rel_pub_{SUFFIX}", "safestats_public")
        for t in ("open.release_violence_cell", "open.release_violence_ward", "open.release_violence_borough",
                  "health.release_violence_count", "open.release_ward_month", "health.release_count"):
            c.execute(f"DELETE FROM {t}")
        c.execute("DELETE FROM open.release")
    yield {"public": public}
    with db.connect(db_url) as c:
        try:
            c.execute(f'DROP OWNED BY "{public}"')
            c.execute(f'DROP ROLE IF EXISTS "{public}"')
        except psycopg.Error:
            pass


def as_public(conn, query, params=()):
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL ROLE safestats_public")
        return conn.execute(query, params).fetchall()


def release_tables(conn):
    """Everything the latest release publishes, read as the public role, as (row, col, shown,
    suppressed) rows per table."""
    return {
        "ward_month": as_public(conn, "SELECT ward_code, month, assaults, suppressed "
                                      "FROM open.ae_assault_ward_month_release"),
        "ward": as_public(conn, "SELECT ward_code, 'all', assaults, suppressed "
                                "FROM open.ae_assault_ward_release"),
        "hour_week": as_public(conn, "SELECT day_of_week, hour, assaults, suppressed "
                                     "FROM open.violence_ae_hour_week_release"),
        "venue_type": as_public(conn, "SELECT borough_code, venue_type, assaults, suppressed "
                                      "FROM open.violence_ae_venue_type_release"),
    }


def truths(conn):
    """The true counts of the same tables (superuser)."""
    ward_month = {(w, m): n for w, m, n in conn.execute(
        "SELECT ward22_code, to_char(month, 'YYYY-MM'), count(*) FROM health.ae_assault_coarse "
        "WHERE ward22_code IS NOT NULL GROUP BY 1, 2")}
    hour_week = {(f"{d}-{n}", f"{h:02d}"): k for d, n, h, k in conn.execute(
        "SELECT weekday, trim(to_char(date '2024-01-01' + (weekday - 1), 'Dy')), hour, count(*) "
        "FROM health.ae_assault_coarse WHERE ward22_code IS NOT NULL AND weekday IS NOT NULL "
        "GROUP BY 1, 2, 3")}
    venue_type = {(b, t): n for b, t, n in conn.execute(
        "SELECT borough_code, venue_type, count(DISTINCT record_id) FROM safestats.violence_ae_venue_link "
        "WHERE ward22_code IS NOT NULL GROUP BY 1, 2")}
    return {"ward_month": ward_month, "hour_week": hour_week, "venue_type": venue_type}


def ward_borough(conn) -> dict:
    return dict(conn.execute("SELECT code, parent_code FROM ref.area "
                             "WHERE level = 'ward' AND vintage = 2022"))


class JointLP:
    """The attacker's linear program over several published tables at once. Unknowns: every interior
    cell of every table (>= 0); every published figure is an equality, an interior cell absent from a
    table is 0 (zeros are not listed); links between tables are added as equalities or inequalities."""

    def __init__(self):
        self.idx: dict = {}
        self.shape: dict = {}
        self.eq: list = []
        self.ub: list = []
        self.targets: dict = {}

    def var(self, key) -> int:
        return self.idx.setdefault(key, len(self.idx))

    def table(self, name, published, rows=None, cols=None):
        rows = sorted(set(rows or ()) | {r for r, *_ in published if r is not None})
        cols = sorted(set(cols or ()) | {c for _, c, *_ in published if c is not None})
        self.shape[name] = (rows, cols)
        for r in rows:
            for c in cols:
                self.var((name, r, c))
        listed = set()
        for r, c, shown, sup in published:
            assert (shown is None) == sup
            if r is not None and c is not None:
                listed.add((r, c))
                if shown is not None:
                    assert not 1 <= shown < THRESHOLD, f"{name}: a count of {shown} was published"
            terms = self.cells(name, r, c)
            if sup:
                self.targets[(name, r, c)] = terms
            else:
                self.eq.append((dict.fromkeys(terms, 1), shown))
        for r in rows:
            for c in cols:
                if (r, c) not in listed:
                    self.eq.append(({self.idx[(name, r, c)]: 1}, 0))

    def cells(self, name, r=None, c=None) -> list[int]:
        rows, cols = self.shape[name]
        return [self.idx[(name, rr, cc)] for rr in rows for cc in cols
                if (r is None or rr == r) and (c is None or cc == c)]

    def link_le(self, left: list[int], right: list[int]):
        """sum(left) <= sum(right)"""
        terms: dict = {}
        for t in left:
            terms[t] = terms.get(t, 0) + 1
        for t in right:
            terms[t] = terms.get(t, 0) - 1
        self.ub.append((terms, 0))

    def link_eq(self, left: list[int], right: list[int]):
        self.link_le(left, right)
        self.link_le(right, left)

    def differ_by_at_most(self, a: str, b: str, records: int):
        """Tables a and b (same rows and columns) differ by `records` at most: sum |b - a| <= records."""
        assert self.shape[a] == self.shape[b]
        slack = []
        rows, cols = self.shape[a]
        for r in rows:
            for c in cols:
                s = self.var(("diff", a, b, r, c))
                slack.append(s)
                self.ub.append(({self.idx[(b, r, c)]: 1, self.idx[(a, r, c)]: -1, s: -1}, 0))
                self.ub.append(({self.idx[(a, r, c)]: 1, self.idx[(b, r, c)]: -1, s: -1}, 0))
        self.ub.append((dict.fromkeys(slack, 1), records))

    def bounds(self) -> dict:
        n = len(self.idx)

        def matrix(rows):
            m = lil_matrix((len(rows), n))
            for i, (terms, _) in enumerate(rows):
                for t, v in terms.items():
                    m[i, t] = v
            return m.tocsr(), np.array([v for _, v in rows], dtype=float)
        a_eq, b_eq = matrix(self.eq)
        a_ub, b_ub = matrix(self.ub) if self.ub else (None, None)
        out = {}
        for key, terms in self.targets.items():
            obj = np.zeros(n)
            obj[terms] = 1
            lo = linprog(obj, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            hi = linprog(-obj, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            assert lo.status == 0, f"LP failed: {lo.message}"
            out[key] = (lo.fun, float("inf") if hi.status == 3 else -hi.fun)
        return out


def true_value(truth: dict, r, c) -> int:
    return sum(v for (rr, cc), v in truth.items() if (r is None or rr == r) and (c is None or cc == c))


def check(bounds: dict, truth_of) -> int:
    """Every withheld figure keeps an interval at least THRESHOLD wide and holds the truth."""
    pinned = []
    for (name, r, c), (lo, hi) in bounds.items():
        true = truth_of(name, r, c)
        if true is not None:
            assert lo - 1e-6 <= true <= hi + 1e-6, f"{name} {r} {c}: truth {true} outside [{lo}, {hi}]"
        if hi - lo < THRESHOLD - 1e-6:
            pinned.append(f"{name} {r} {c} (true {true}) pinned to [{lo:.2f}, {hi:.2f}]")
    assert not pinned, f"{len(pinned)} withheld figures pinned:\n" + "\n".join(pinned)
    return len(bounds)


def one_release_lp(conn, pub, truth) -> JointLP:
    """One release's tables in one program, linked as the attacker knows they are: the hour-week grand
    total is the ward-month grand total (the same records); a borough's venue records are among its
    wards' records; the ward layer is the ward-month table's ward totals."""
    lp = JointLP()
    lp.table("ward_month", pub["ward_month"])
    lp.table("ward", pub["ward"])
    lp.table("hour_week", pub["hour_week"], cols=[f"{h:02d}" for h in range(24)])
    lp.table("venue_type", pub["venue_type"])
    for w in set(lp.shape["ward_month"][0]) | set(lp.shape["ward"][0]):
        lp.link_eq(lp.cells("ward", w), lp.cells("ward_month", w))
    assert true_value(truth["hour_week"], None, None) == true_value(truth["ward_month"], None, None)
    lp.link_eq(lp.cells("hour_week"), lp.cells("ward_month"))
    parent = ward_borough(conn)
    for b in lp.shape["venue_type"][0]:
        wards = [w for w in lp.shape["ward_month"][0] if parent.get(w) == b]
        lp.link_le(lp.cells("venue_type", b), [t for w in wards for t in lp.cells("ward_month", w)])
    return lp


def truth_getter(truth):
    def get(name, r, c):
        if name == "ward":
            return true_value(truth["ward_month"], r, None)
        if name in truth:
            return true_value(truth[name], r, c)
        return None
    return get


def test_a_release_holds_the_violence_tables_and_the_public_reads_them(conn, fixture_db):
    rid = conn.execute("SELECT open.publish_release('violence release 1', 0)").fetchone()[0]
    got = {v: as_public(conn, f"SELECT count(*), min(release_id), max(release_id) FROM open.{v}")[0]
           for v in VIEWS}
    for v, (n, lo, hi) in got.items():
        assert n > 0 and lo == hi == rid, f"open.{v}: {n} rows of release {lo}..{hi}"
    pub = release_tables(conn)
    truth = truths(conn)
    # the same records in every table: the grand totals agree
    grand = {name: [s for r, c, s, _ in rows if r is None and c is None] for name, rows in pub.items()}
    # (the same figure, published or withheld in both: in this fixture the ward tables withhold it)
    n_records = true_value(truth["ward_month"], None, None)
    assert grand["hour_week"] == grand["ward_month"] in ([n_records], [None])
    assert true_value(truth["venue_type"], None, None) == 41
    # every published cell is the truth; nothing from 1 to 4 is published
    for name in ("ward_month", "hour_week", "venue_type"):
        for r, c, shown, sup in pub[name]:
            if not sup and r is not None and c is not None:
                assert shown == truth[name].get((r, c), 0) and not 1 <= shown < THRESHOLD
        assert any(sup for *_, sup in pub[name]), f"{name}: this fixture should withhold something"
    # the month series is the London rows of the ward-month release
    month = as_public(conn, "SELECT month, assaults, suppressed FROM open.violence_ae_month_release "
                            "ORDER BY 1")
    assert month == sorted((c, s, sup) for r, c, s, sup in pub["ward_month"] if r is None and c is not None)
    # the ward layer's counts are the release's ward totals; Gi* equals the API's on the same records
    hot = as_public(conn, "SELECT ward_code, assaults, suppressed, hotspot, borough_code, geom IS NOT NULL "
                          "FROM open.violence_ae_ward_hotspot_release")
    totals = {r: (s, sup) for r, c, s, sup in pub["ward_month"] if r is not None and c is None}
    assert len(hot) == 684 and all(g for *_, g in hot)
    for w, n, s, _, _, _ in hot:
        assert (n, s) == totals.get(w, (0, False))
    api = dict(conn.execute("SELECT area_code, hotspot FROM safestats.violence_area_hotspots('ae-assault', "
                            "'2000-01-01', '2030-12-31', 'ward')").fetchall())
    assert {w: h for w, _, _, h, _, _ in hot} == api and "hot" in api.values()
    # the police gap adds up from the published wards, withheld when any of them is
    gap = as_public(conn, "SELECT borough_code, ae_assaults, suppressed, police_violence, ratio, ci_low, "
                          "ci_high FROM open.violence_police_gap_borough_release")
    assert {b for b, *_ in gap} >= {LAMBETH, SOUTHWARK, TOWER_HAMLETS}
    for b, a, s, p, ratio, lo, hi in gap:
        wards = [(n, sup) for w, n, sup, _, bc, _ in hot if bc == b and (n or sup)]
        assert s == any(sup for _, sup in wards)
        if s:
            assert a is None and ratio is None
        else:
            assert a == sum(n for n, _ in wards)
            if p:
                assert ratio == pytest.approx(a / p) and lo <= ratio <= hi
    assert {b: p for b, _, _, p, *_ in gap}[LAMBETH] == 60
    # the public reads the releases and nothing live
    for view in ("violence_ae_hour_week", "violence_ae_venue_type", "violence_ae_ward_hotspot"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SET LOCAL ROLE safestats_public")
            conn.execute(f"SELECT 1 FROM open.{view} LIMIT 1")


def test_every_table_of_a_release_together_survives_the_lp_attack(conn, fixture_db):
    if not conn.execute("SELECT count(*) FROM open.release").fetchone()[0]:
        conn.execute("SELECT open.publish_release('violence release 1', 0)")
    pub, truth = release_tables(conn), truths(conn)
    lp = one_release_lp(conn, pub, truth)
    withheld = check(lp.bounds(), truth_getter(truth))
    assert withheld >= 20
    print(f"\njoint LP over one release: {withheld} withheld figures, {len(lp.idx)} unknowns")


def test_a_resubmission_changes_no_violence_figure_and_two_releases_survive_the_lp(conn, fixture_db):
    """Differencing: a resubmission re-geocodes 12 records to other wards and adds one. The ward
    tables move by 25 records (released again); the hour-week table by 1 and the venue table by 0, so
    both keep the last release's figures: comparing the two releases isolates no record. Then the
    attacker who knows how many records changed between the releases runs one program over both."""
    conn.execute("DELETE FROM open.release")
    r1 = conn.execute("SELECT open.publish_release('before', 0)").fetchone()[0]
    pub1, truth1 = release_tables(conn), truths(conn)
    # (all to one ward of Lambeth, so no two moves cancel out)
    moved = conn.execute("""
      WITH target AS (SELECT max(code) AS code FROM ref.area WHERE level = 'ward' AND vintage = 2022
                                                                AND parent_code = %s)
      UPDATE health.ae_assault a SET ward22_code = target.code FROM target
      WHERE a.record_id IN (SELECT a2.record_id FROM health.ae_assault a2, target
                            WHERE a2.geocode_matched IS NULL AND a2.ward22_code <> target.code
                            ORDER BY a2.record_id LIMIT 12)""", (LAMBETH,)).rowcount
    assert moved == 12
    conn.execute("""INSERT INTO health.ae_assault (load_id, source_line, site_code, organisation_code,
                      period_start, period_end, arrival_at, assault_at, location_text, ward22_code,
                      borough_code, lsoa21_code)
                    SELECT load_id, 99999, site_code, organisation_code, period_start, period_end, arrival_at,
                           assault_at, 'extra', ward22_code, borough_code, lsoa21_code
                    FROM health.ae_assault WHERE geocode_matched IS NULL ORDER BY record_id LIMIT 1""")
    r2 = conn.execute("SELECT open.publish_release('after', 0)").fetchone()[0]
    pub2, truth2 = release_tables(conn), truths(conn)
    assert r2 > r1 and pub2["ward_month"] != pub1["ward_month"]
    assert sorted(pub2["hour_week"], key=str) == sorted(pub1["hour_week"], key=str)
    assert sorted(pub2["venue_type"], key=str) == sorted(pub1["venue_type"], key=str)
    counted = dict(as_public(conn, "SELECT DISTINCT 'hour_week', counted_in_release "
                                   "FROM open.violence_ae_hour_week_release UNION ALL "
                                   "SELECT DISTINCT 'venue_type', counted_in_release "
                                   "FROM open.violence_ae_venue_type_release"))
    assert counted == {"hour_week": r1, "venue_type": r1}
    # the true changes: 24 for the moves and 1 for the extra record in the ward table
    changed = sum(abs(truth2["ward_month"].get(k, 0) - truth1["ward_month"].get(k, 0))
                  for k in set(truth1["ward_month"]) | set(truth2["ward_month"]))
    assert 23 <= changed <= 25
    # one program over both releases' ward tables, knowing they differ by at most 25 records
    rows = sorted({r for r, _ in truth1["ward_month"]} | {r for r, _ in truth2["ward_month"]}
                  | {r for r, *_ in pub1["ward_month"] + pub2["ward_month"] if r is not None})
    cols = sorted({c for _, c in truth1["ward_month"]} | {c for _, c in truth2["ward_month"]})
    lp = JointLP()
    lp.table("r1", pub1["ward_month"], rows, cols)
    lp.table("r2", pub2["ward_month"], rows, cols)
    lp.differ_by_at_most("r1", "r2", changed)
    n = check(lp.bounds(), lambda name, r, c: true_value(truth1["ward_month"] if name == "r1"
                                                        else truth2["ward_month"], r, c))
    print(f"\nLP over two releases ({changed} records apart): {n} withheld figures")
    # with enough change the violence tables are released again, protected
    conn.execute("""INSERT INTO health.ae_assault (load_id, source_line, site_code, organisation_code,
                      period_start, period_end, arrival_at, assault_at, location_text, ward22_code,
                      borough_code, lsoa21_code)
                    SELECT load_id, 100000 + row_number() OVER (), site_code, organisation_code, period_start,
                           period_end, arrival_at + interval '5 hours', assault_at + interval '5 hours',
                           'more',
                           ward22_code, borough_code, lsoa21_code
                    FROM health.ae_assault WHERE geocode_matched IS NULL ORDER BY record_id LIMIT 30""")
    r3 = conn.execute("SELECT open.publish_release('more', 0)").fetchone()[0]
    assert as_public(conn, "SELECT DISTINCT counted_in_release "
                           "FROM open.violence_ae_hour_week_release") == [(r3,)]
    pub3, truth3 = release_tables(conn), truths(conn)
    assert check(one_release_lp(conn, pub3, truth3).bounds(), truth_getter(truth3)) > 0


def test_export_writes_a_release_and_only_the_admin_releases(run_cli, conn, db_url, fixture_db, tmp_path):
    if not conn.execute("SELECT count(*) FROM open.release").fetchone()[0]:
        conn.execute("SELECT open.publish_release('violence release 1', 0)")
    out = tmp_path / "hw.csv"
    code, _, err = run_cli("export", "open.violence_ae_hour_week_release", "--out", out)
    assert code == 0, err
    lines = out.read_text().splitlines()
    assert lines[0].startswith("release_id,released_on,counted_in_release,day_of_week,hour,assaults")
    assert len(lines) > 100
    for role in ("safestats_analyst", "safestats_health", "safestats_loader", "safestats_public"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute(f"SET LOCAL ROLE {role}")
            conn.execute("SELECT safestats_internal.violence_publish_release(1, 0)")
    with db.connect(login_url(db_url, fixture_db["public"])) as c:
        assert c.execute("SELECT count(*) FROM open.violence_ae_venue_type_release").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT * FROM health.release_violence_count")

