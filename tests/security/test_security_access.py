"""Row-level security on A&E records, the coarsening views, audit, the role / audit / export
commands and QGIS catalogue reads — each checked by logging in (or SET ROLE) and trying."""
from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from security_helpers import LOCATION_TEXTS, insert_ae_fixture, make_login

from safestats import db
from safestats.audit import read_pgaudit

SUFFIX = uuid.uuid4().hex[:6]
COARSE_COLUMNS = ["site_code", "organisation_code", "period_start", "period_end", "month", "weekday", "hour",
                  "assault_method", "location_type", "geocode_level", "lsoa21_code", "ward22_code",
                  "borough_code"]


def login_url(db_url: str, user: str) -> str:
    assert db_url.startswith("postgresql://postgres@")
    return db_url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)


@pytest.fixture(scope="module")
def users(db_url):
    """Login roles for this module (cluster-wide, so uniquely named) and an A&E fixture."""
    names = {
        "kings": f"h_kings_{SUFFIX}", "two": f"h_two_{SUFFIX}", "none": f"h_none_{SUFFIX}",
        "team": f"h_team_{SUFFIX}", "teammate": f"h_mate_{SUFFIX}", "analyst": f"a_{SUFFIX}",
        "loader": f"l_{SUFFIX}", "public": f"p_{SUFFIX}",
    }
    with db.connect(db_url) as c:
        insert_ae_fixture(c, n=400, seed=3)
        make_login(c, names["kings"], "safestats_health", organisations=["RJZ"])
        make_login(c, names["two"], "safestats_health", organisations=["RJ1", "R1H"])
        make_login(c, names["none"], "safestats_health")
        # A team role approved once: its members see what it is approved for.
        c.execute(f'DROP ROLE IF EXISTS "{names["team"]}"')
        c.execute(f'CREATE ROLE "{names["team"]}" NOLOGIN IN ROLE safestats_health')
        c.execute("INSERT INTO health.approval (login_role, organisation_code) VALUES (%s, 'RJ7')",
                  (names["team"],))
        make_login(c, names["teammate"], names["team"])
        make_login(c, names["analyst"], "safestats_analyst")
        make_login(c, names["loader"], "safestats_loader")
        make_login(c, names["public"], "safestats_public")
    yield names
    with db.connect(db_url) as c:
        for n in names.values():
            try:
                c.execute(f'DROP OWNED BY "{n}"')
                c.execute(f'DROP ROLE IF EXISTS "{n}"')
            except psycopg.Error:
                pass   # still referenced from another database of this session; harmless


def counts_by_org(conn, table="health.ae_assault"):
    return dict(conn.execute(f"SELECT organisation_code, count(*) FROM {table} GROUP BY 1").fetchall())


@pytest.fixture
def as_user(db_url):
    opened = []

    def connect(user):
        c = db.connect(login_url(db_url, user))
        opened.append(c)
        return c

    yield connect
    for c in opened:
        c.close()


def test_health_users_see_only_their_approved_organisations(conn, users, as_user):
    truth = counts_by_org(conn)
    assert set(truth) == {"RJZ", "RJ1", "R1H", "RJ7"}
    cases = {"kings": {"RJZ"}, "two": {"RJ1", "R1H"}, "none": set(), "teammate": {"RJ7"}}
    for who, orgs in cases.items():
        c = as_user(users[who])
        expected = {o: n for o, n in truth.items() if o in orgs}
        assert counts_by_org(c) == expected, who
        # the ordinary (security_invoker) view shows exactly the same rows
        assert counts_by_org(c, "health.ae_assault_records") == expected, who
        # and so does the audited access function
        n = c.execute("SELECT count(*) FROM health.ae_assault_read('2024-01-01', '2024-12-31')").fetchone()[0]
        assert n == sum(expected.values())
        # a health user may read its own approvals, nobody else's
        mine = {r[0] for r in c.execute("SELECT login_role FROM health.approval")}
        assert mine <= {users[who], users["team"]}


def test_health_users_cannot_write_or_widen_their_approvals(users, as_user):
    c = as_user(users["kings"])
    for stmt in ("INSERT INTO health.approval (login_role, organisation_code) VALUES (current_user, 'RJ1')",
                 "UPDATE health.ae_assault SET organisation_code = 'RJZ'",
                 "DELETE FROM health.ae_assault",
                 "SET row_security = off; SELECT count(*) FROM health.ae_assault"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), c.transaction():
            c.execute(stmt)


def test_loader_owner_and_admin_see_every_row(conn, users, as_user):
    total = conn.execute("SELECT count(*) FROM health.ae_assault").fetchone()[0]
    assert as_user(users["loader"]).execute("SELECT count(*) FROM health.ae_assault").fetchone()[0] == total
    for role in ("safestats_owner", "safestats_admin"):
        with conn.transaction(force_rollback=True):
            conn.execute(f"SET LOCAL ROLE {role}")
            assert conn.execute("SELECT count(*) FROM health.ae_assault").fetchone()[0] == total


def test_analyst_and_public_get_no_record_level_detail(users, as_user):
    for who in ("analyst", "public"):
        c = as_user(users[who])
        for rel in ("health.ae_assault", "health.ae_assault_records"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), c.transaction():
                c.execute(f"SELECT 1 FROM {rel} LIMIT 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege), c.transaction():
            c.execute("SELECT * FROM health.ae_assault_read('2024-01-01', '2024-12-31')")


def test_coarse_view_shows_every_organisation_and_nothing_finer(conn, users, as_user):
    total = conn.execute("SELECT count(*) FROM health.ae_assault").fetchone()[0]
    texts = {r[0] for r in conn.execute("SELECT DISTINCT location_text FROM health.ae_assault")}
    assert texts <= set(LOCATION_TEXTS) and len(texts) > 5
    for who in ("analyst", "kings"):
        c = as_user(users[who])
        cur = c.execute("SELECT * FROM health.ae_assault_coarse")
        cols = [d.name for d in cur.description]
        rows = cur.fetchall()
        assert cols == COARSE_COLUMNS
        assert len(rows) == total, "the coarse view runs with its owner's rights: every organisation"
        for row in rows:
            rec = dict(zip(cols, row))
            assert rec["month"].day == 1
            assert rec["lsoa21_code"] is None or (len(rec["lsoa21_code"]) == 9
                                                  and rec["lsoa21_code"][:3] == "E01")
            assert rec["ward22_code"] is None or rec["ward22_code"][:3] == "E05"
            for v in row:
                # no free text, no coordinates in any column
                assert not (isinstance(v, str) and any(t in v for t in texts if len(t) > 4)), v
                assert not (isinstance(v, (bytes, bytearray))), "a geometry-like value leaked"
    # The owning role itself cannot read the fine columns, whatever a view definition asks for.
    for col in ("location_text", "geom", "geocode_matched", "assault_method_other", "record_id"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SET LOCAL ROLE safestats_coarse")
            conn.execute(f"SELECT {col} FROM health.ae_assault LIMIT 1")
    owner = conn.execute("SELECT pg_get_userbyid(relowner) FROM pg_class "
                         "WHERE oid = 'health.ae_assault_coarse'::regclass").fetchone()[0]
    assert owner == "safestats_coarse"
    invoker = conn.execute("SELECT reloptions FROM pg_class WHERE oid = 'health.ae_assault_records'::regclass"
                           ).fetchone()[0]
    assert "security_invoker=true" in invoker


def test_row_level_security_is_forced(conn):
    row = conn.execute("SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                       "WHERE oid = 'health.ae_assault'::regclass").fetchone()
    assert row == (True, True)


def test_audited_reads_are_logged_and_the_log_is_protected(conn, users, as_user):
    c = as_user(users["two"])
    n = c.execute("SELECT count(*) "
                  "FROM health.ae_assault_read('2024-02-01', '2024-02-29', NULL)").fetchone()[0]
    assert n > 0
    row = conn.execute("SELECT login_role, acting_role, action, object, rows_seen, detail->>'from' "
                       "FROM audit.access_log WHERE login_role = %s ORDER BY event_id DESC LIMIT 1",
                       (users["two"],)).fetchone()
    assert row == (users["two"], users["two"], "read", "health.ae_assault", n, "2024-02-01")
    for stmt in ("SELECT * FROM audit.access_log", "DELETE FROM audit.access_log",
                 "UPDATE audit.access_log SET login_role = 'someone'",
                 "INSERT INTO audit.access_log (acting_role, action, object) VALUES ('x', 'read', 'y')"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), c.transaction():
            c.execute(stmt)
    # Nor can it call the audit writer itself (issue 13: an approval that never happened was written so)
    before = conn.execute("SELECT count(*) FROM audit.access_log").fetchone()[0]
    for stmt in ("SELECT audit.record_access('approval-grant', 'health.ae_assault', NULL, "
                 "'{\"user\": \"mallory\", \"organisation\": \"RJZ\"}')",
                 "SELECT audit.record_access('read', 'health.ae_assault', 0)",
                 "SELECT audit.approval_changed()"):
        with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.FeatureNotSupported)), \
                c.transaction():
            c.execute(stmt)
    assert conn.execute("SELECT count(*) FROM audit.access_log").fetchone()[0] == before


def test_pgaudit_logs_every_read_of_record_level_data(conn, users, as_user, pg_cluster):
    preload = conn.execute("SELECT current_setting('shared_preload_libraries')").fetchone()[0]
    if "pgaudit" not in preload:
        pytest.skip("pgaudit (Debian postgresql-<major>-pgaudit) is not installed on this machine")
    marker = f"audit_probe_{uuid.uuid4().hex[:8]}"
    c = as_user(users["kings"])
    c.execute(f"SELECT count(*) AS {marker} FROM health.ae_assault")
    a = as_user(users["analyst"])
    a.execute(f"SELECT count(*) AS {marker} FROM health.ae_assault_coarse")   # through the coarse view too
    events = read_pgaudit(pg_cluster.logfile, database=conn.info.dbname)
    mine = [e for e in events if marker in e.statement]
    assert {(e.user, e.object) for e in mine} == {(users["kings"], "health.ae_assault"),
                                                  (users["analyst"], "health.ae_assault")}


def test_role_command_grants_lists_and_revokes(conn, run_cli):
    user = f"cli_{SUFFIX}"
    try:
        code, out, err = run_cli("role", "grant", user, "health", "--organisation", "rjz", "--note", "DSA-17")
        assert code == 0 and "approved" in out
        assert conn.execute("SELECT organisation_code, note FROM health.approval WHERE login_role = %s",
                            (user,)).fetchall() == [("RJZ", "DSA-17")]
        code, out, _ = run_cli("role", "list")
        assert code == 0 and user in out and "RJZ" in out
        code, out, _ = run_cli("role", "grant", user, "health", "--organisation", "RJZ")
        assert "nothing to do" in out
        for bad, msg in ((["role", "grant", user, "superuser"], "unknown role"),
                         (["role", "grant", user, "health", "--organisation", "RJZ'; DROP TABLE x;--"],
                          "does not look like"),
                         (["role", "grant", user, "analyst", "--organisation", "RJZ"], "health role only"),
                         (["role", "grant", "Robert'); DROP ROLE postgres;--", "analyst"], "not allowed")):
            code, out, err = run_cli(*bad)
            assert code == 2 and msg in err, (bad, err)
        code, out, _ = run_cli("role", "revoke", user, "health")
        assert code == 0 and "withdrew approval" in out and "revoked safestats_health" in out
        assert not conn.execute("SELECT pg_has_role(%s, 'safestats_health', 'MEMBER')", (user,)).fetchone()[0]
        actions = [r[0] for r in conn.execute(
            "SELECT action FROM audit.access_log WHERE detail->>'user' = %s ORDER BY event_id", (user,))]
        assert actions == ["role-grant", "approval-grant", "approval-revoke", "role-revoke"]
        code, out, _ = run_cli("audit", "--user", "postgres")
        assert code == 0 and "approval-grant" in out
    finally:
        conn.execute(f'DROP ROLE IF EXISTS "{user}"')


def test_export_writes_only_published_tables(conn, run_cli, tmp_path: Path):
    from osgeo import ogr
    out = tmp_path / "wards.gpkg"
    code, stdout, err = run_cli("export", "ae_assault_ward", "--out", out)
    assert code == 0, err
    ds = ogr.Open(str(out))
    layer = ds.GetLayer(0)
    view = {r[0]: r[1] for r in conn.execute("SELECT ward_code, assaults FROM open.ae_assault_ward")}
    got = {}
    for f in layer:
        got[f.GetField("ward_code")] = f.GetField("assaults")
        assert f.GetField("assaults") is None or not (1 <= f.GetField("assaults") < 5)
    assert got == view and len(got) > 20
    assert ogr.GeometryTypeToName(layer.GetGeomType()) in ("Multi Polygon", "Polygon")
    layer = ds = None
    csv_out = tmp_path / "ward_month.csv"
    code, _, err = run_cli("export", "open.ae_assault_ward_month", "--out", csv_out)
    assert code == 0, err
    lines = csv_out.read_text().splitlines()
    assert lines[0].startswith("ward_code,ward_name") and len(lines) > 50
    assert conn.execute("SELECT count(*) FROM audit.access_log WHERE action = 'export'").fetchone()[0] >= 2
    for name in ("health.ae_assault", "ae_assault_coarse", "../../etc/passwd", "x; DROP TABLE y"):
        code, _, err = run_cli("export", name, "--out", tmp_path / "x.csv")
        assert code == 2 and "not a published table" in err


@pytest.mark.parametrize("role", ["safestats_admin", "safestats_loader", "safestats_analyst",
                                  "safestats_health", "safestats_public"])
def test_qgis_catalogue_reads(conn, role):
    with conn.transaction(force_rollback=True):
        conn.execute(f"SET LOCAL ROLE {role}")
        assert conn.execute("SELECT count(*) FROM public.spatial_ref_sys WHERE srid IN (27700, 4326)"
                            ).fetchone()[0] == 2
        conn.execute("SELECT * FROM public.geometry_columns LIMIT 5").fetchall()
        conn.execute("SELECT * FROM public.layer_styles LIMIT 1").fetchall()
        # every layer the role may read is listed in geometry_columns for QGIS to find
        visible = {(s, t) for s, t in conn.execute("SELECT f_table_schema, f_table_name "
                                                   "FROM geometry_columns")}
        if role == "safestats_public":
            assert ("open", "ae_assault_ward") in visible
        if role in ("safestats_admin", "safestats_analyst", "safestats_health"):
            conn.execute("INSERT INTO public.layer_styles (f_table_schema, f_table_name, stylename, "
                         "styleqml) VALUES ('open', 'ae_assault_ward', 'test', '<qgis/>')")
