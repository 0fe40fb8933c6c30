"""Issue 13's probe, turned into tests: each command that once worked is tried again as the role that
ran it, and must now be refused (and change nothing)."""
# ruff: noqa: E501  (CSV fixture lines and SQL read better whole)
from __future__ import annotations

import uuid

import psycopg
import pytest
from security_helpers import make_login

from safestats import db

SUFFIX = uuid.uuid4().hex[:6]


def login_url(db_url: str, user: str) -> str:
    assert db_url.startswith("postgresql://postgres@")
    return db_url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)


@pytest.fixture(scope="module")
def people(db_url):
    """One login per role (health approved for King's only), two A&E sites, two gazetteer features."""
    names = {"public": f"hp_{SUFFIX}", "analyst": f"ha_{SUFFIX}", "loader": f"hl_{SUFFIX}",
             "health": f"hh_{SUFFIX}", "admin": f"hd_{SUFFIX}"}
    with db.connect(db_url) as c:
        for key, name in names.items():
            make_login(c, name, f"safestats_{key}", organisations=["RJZ"] if key == "health" else ())
        c.execute("INSERT INTO health.ae_site (site_code, site_name, organisation_code) VALUES "
                  "('RJZ01', 'King''s College Hospital', 'RJZ'), ('RJ122', 'St Thomas''', 'RJ1') "
                  "ON CONFLICT DO NOTHING")
        ids = {}
        for name, x, y in (("Brixton station", 531100, 175500), ("Heathrow Terminal 5", 504500, 175700)):
            ids[name] = c.execute(
                "INSERT INTO gazetteer.feature (kind, level, name, norm, geom, radius_m, source, licence) "
                "VALUES ('station', 'venue', %s, safestats_internal.geocode_normalise(%s), "
                "ST_SetSRID(ST_MakePoint(%s, %s), 27700), 50, 'test', 'test') RETURNING feature_id",
                (name, name, x, y)).fetchone()[0]
    yield names, ids
    with db.connect(db_url) as c:
        for n in names.values():
            try:
                c.execute(f'DROP OWNED BY "{n}"')
                c.execute(f'DROP ROLE IF EXISTS "{n}"')
            except psycopg.Error:
                pass


@pytest.fixture
def as_role(db_url, people):
    opened = []

    def connect(key):
        c = db.connect(login_url(db_url, people[0][key]))
        opened.append(c)
        return c

    yield connect
    for c in opened:
        c.close()


def conn_url(conn) -> str:
    i = conn.info
    return f"postgresql://postgres@/{i.dbname}?host={i.host}&port={i.port}"


def alias_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM gazetteer.alias").fetchone()[0]


@pytest.mark.parametrize("who", ["public", "analyst", "loader"])
def test_only_health_and_admin_may_rewrite_the_geocoder(conn, people, as_role, who):
    """Probe item 2: public (and analyst, loader) set an alias from 'brixton station' to Heathrow."""
    heathrow = people[1]["Heathrow Terminal 5"]
    before = alias_count(conn)
    c = as_role(who)
    for stmt, args in (("SELECT safestats.geocode_alias_set('brixton station', 'RJZ01', %s)", (heathrow,)),
                       ("SELECT safestats.geocode_alias_set('brixton station', NULL, %s)", (heathrow,)),
                       ("SELECT safestats.geocode_alias_remove('brixton station', 'RJZ01')", None),
                       ("INSERT INTO gazetteer.alias (text_norm, location_text, geom, radius_m, level, matched) "
                        "SELECT 'brixton station', 'x', geom, 1, 'venue', 'x' FROM gazetteer.feature LIMIT 1",
                        None)):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(stmt, args)
    assert alias_count(conn) == before


def test_health_writes_aliases_only_for_its_organisations_sites(conn, people, as_role):
    brixton = people[1]["Brixton station"]
    c = as_role("health")
    # King's (RJZ) approved: its site RJZ01 is allowed ...
    alias_id = c.execute("SELECT safestats.geocode_alias_set('brixton stn', 'RJZ01', %s)", (brixton,)).fetchone()[0]
    row = conn.execute("SELECT site_code, created_by FROM gazetteer.alias WHERE alias_id = %s", (alias_id,)).fetchone()
    assert row == ("RJZ01", people[0]["health"])
    # ... St Thomas' site (organisation RJ1) is not, nor an alias for every site, nor an unknown site
    for site in ("RJ122", None, "ZZZ99"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as e:
            c.execute("SELECT safestats.geocode_alias_set('brixton stn', %s, %s)", (site, brixton))
        assert e.value.sqlstate == "42501"
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("SELECT safestats.geocode_alias_remove('brixton stn', 'RJ122')")
    assert c.execute("SELECT safestats.geocode_alias_remove('brixton stn', 'RJZ01')").fetchone()[0] is True
    # over-long arguments are refused without echoing them
    with pytest.raises(psycopg.errors.InvalidParameterValue) as e:
        c.execute("SELECT safestats.geocode_alias_set(repeat('x', 100000), 'RJZ01', %s)", (brixton,))
    assert len(str(e.value)) < 300


def test_admin_may_set_an_alias_for_every_site(conn, people, as_role):
    c = as_role("admin")
    brixton = people[1]["Brixton station"]
    c.execute("SELECT safestats.geocode_alias_set('the usual brixton spot', NULL, %s)", (brixton,))
    assert conn.execute("SELECT site_code FROM gazetteer.alias WHERE text_norm = "
                        "safestats_internal.geocode_normalise('the usual brixton spot')").fetchone()[0] == ""
    assert c.execute("SELECT safestats.geocode_alias_remove('the usual brixton spot', NULL)").fetchone()[0]


def test_public_writes_nothing(conn, people):
    """No table, view or sequence anywhere in the database may be written by safestats_public, and
    every function it may execute belongs to the published schema."""
    writable = conn.execute("""
      SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        AND has_schema_privilege('safestats_public', n.oid, 'USAGE')
        AND (CASE WHEN c.relkind = 'S' THEN has_sequence_privilege('safestats_public', c.oid, 'UPDATE')
             ELSE has_table_privilege('safestats_public', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE') END)
    """).fetchall()
    assert writable == []
    callable_ = conn.execute("""
      SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE pg_get_userbyid(n.nspowner) = 'safestats_owner' AND n.nspname <> 'open'
        AND has_function_privilege('safestats_public', p.oid, 'EXECUTE')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')""").fetchall()
    assert callable_ == []


def test_definer_functions_resist_a_planted_search_path(conn, people, as_role):
    """A health user creates its own geocode_normalise in a schema it puts first on search_path: the
    DEFINER alias function still uses the real one (it names objects in full, search_path fixed)."""
    brixton = people[1]["Brixton station"]
    conn.execute("CREATE SCHEMA IF NOT EXISTS trap")
    conn.execute("GRANT USAGE, CREATE ON SCHEMA trap TO safestats_health")
    c = as_role("health")
    c.execute("CREATE OR REPLACE FUNCTION trap.left(text, integer) RETURNS text LANGUAGE sql "
              "AS $$ SELECT 'planted' $$")
    c.execute("SET search_path = trap, pg_catalog, public")
    c.execute("SELECT safestats.geocode_alias_set('Rye Lane corner', 'RJZ01', %s)", (brixton,))
    got = conn.execute("SELECT text_norm FROM gazetteer.alias WHERE location_text = 'Rye Lane corner'").fetchone()
    want = conn.execute("SELECT safestats_internal.geocode_normalise('Rye Lane corner')").fetchone()[0]
    assert got == (want,) and want != "planted"
    conn.execute("DROP SCHEMA trap CASCADE")


# --- item 5: an audit nobody can forge ------------------------------------------------------------
def audit_events(conn) -> int:
    return conn.execute("SELECT count(*) FROM audit.access_log").fetchone()[0]


@pytest.mark.parametrize("who", ["public", "analyst", "loader", "health"])
def test_no_role_but_admin_writes_audit_events_directly(conn, people, as_role, who):
    before = audit_events(conn)
    c = as_role(who)
    for stmt in ("SELECT audit.record_access('approval-grant', 'health.ae_assault', NULL, "
                 "jsonb_build_object('user', 'mallory', 'organisation', 'RJZ'))",
                 "SELECT audit.record_access('read', 'health.ae_assault', 0)",
                 "INSERT INTO audit.access_log (acting_role, action, object) VALUES ('x', 'read', 'y')"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as e:
            c.execute(stmt)
        assert e.value.sqlstate == "42501"
    assert audit_events(conn) == before


def test_audit_inputs_are_length_limited_and_never_echoed(people, as_role):
    c = as_role("admin")
    huge = "A" * 1_000_000
    for stmt, args in (("SELECT audit.record_access(%s, 'x')", (huge,)),
                       ("SELECT audit.record_access('read', %s)", (huge,)),
                       ("SELECT audit.record_access('read', 'x', 1, jsonb_build_object('k', %s::text))", (huge,)),
                       ("SELECT audit.record_export(%s, 'csv', 'f.csv')", (huge,)),
                       ("SELECT audit.record_export('open.ae_assault_ward', 'csv', %s)", (huge,))):
        with pytest.raises(psycopg.errors.InvalidParameterValue) as e:
            c.execute(stmt, args)
        assert e.value.sqlstate == "22023"
        assert len(str(e.value)) + len(e.value.diag.message_detail or "") < 300, str(e.value)[:200]


def test_approvals_are_audited_by_the_act_itself(conn, people, as_role):
    """An approval written straight into health.approval (no record_access call) is still audited, as
    the session user that made it; a health user cannot write one."""
    admin = people[0]["admin"]
    c = as_role("admin")
    c.execute("INSERT INTO health.approval (login_role, organisation_code) VALUES (%s, 'RJ7')",
              (people[0]["analyst"],))
    c.execute("DELETE FROM health.approval WHERE login_role = %s", (people[0]["analyst"],))
    rows = conn.execute("SELECT login_role, action, detail->>'user', detail->>'organisation' FROM audit.access_log "
                        "WHERE detail->>'user' = %s ORDER BY event_id", (people[0]["analyst"],)).fetchall()
    assert rows == [(admin, "approval-grant", people[0]["analyst"], "RJ7"),
                    (admin, "approval-revoke", people[0]["analyst"], "RJ7")]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_role("health").execute("INSERT INTO health.approval (login_role, organisation_code) "
                                  "VALUES (current_user, 'RJ1')")


def test_export_events_count_the_rows_themselves(conn, people, as_role):
    c = as_role("analyst")
    c.execute("SELECT audit.record_export('open.ae_assault_ward', 'csv', 'ward.csv')")
    rows_seen, obj = conn.execute("SELECT rows_seen, object FROM audit.access_log WHERE login_role = %s "
                                  "AND action = 'export' ORDER BY event_id DESC LIMIT 1",
                                  (people[0]["analyst"],)).fetchone()
    assert obj == "open.ae_assault_ward"
    assert rows_seen == conn.execute("SELECT count(*) FROM open.ae_assault_ward").fetchone()[0]
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        c.execute("SELECT audit.record_export('health.ae_assault', 'csv', 'x.csv')")


# --- item 3: health text stays with health roles ----------------------------------------------------
ISTV_HEAD = ("Hospital,Period From,Period To,Attendance Date/Time,Date/Time of Assault,Weapon Used,Weapon Other,"
             "Place Type,Location of Assault")


@pytest.fixture(scope="module")
def rejected_load(db_url, people, tmp_path_factory):
    """A St Thomas' (RJ1) extract with one good row and two rejected rows whose values are free text."""
    from loaders import istv
    from loaders.core import LoadOptions
    tmp = tmp_path_factory.mktemp("istv-rej")
    f = tmp / "gstt-may.csv"
    f.write_bytes("\r\n".join([
        ISTV_HEAD,
        "St Thomas' Hospital,01/05/2024,31/05/2024,03/05/2024 01:10,03/05/2024 00:30,Blunt object,,Street,o/s café",
        "St Thomas' Hospital,01/05/2024,31/05/2024,flat 3 12 Acre Lane punched by partner,,Blunt object,,Home,HOME",
        "Dr Smith's surgery 22 Garratt Lane,01/05/2024,31/05/2024,03/05/2024 01:10,,Blunt object,,Street,HOME",
    ]).encode("cp1252") + b"\r\n")
    with db.connect(db_url) as c:
        c.execute("INSERT INTO health.approval (login_role, organisation_code) VALUES (%s, 'RJ1')",
                  (people[0]["admin"],))   # an approval the health user (RJZ only) does not have
        res = istv.load(c, f, LoadOptions(quiet=True, rejects_dir=tmp / "rejects"))
    assert (res.rows_loaded, res.rows_rejected) == (1, 2)
    return res


def test_health_rejects_keep_no_raw_values_where_analysts_read(conn, rejected_load, as_role):
    load_id = rejected_load.load_id
    # every reject is listed (line, column, reason) with its value withheld ...
    rows = conn.execute("SELECT line_no, column_name, value FROM safestats.load_reject WHERE load_id = %s "
                        "ORDER BY line_no", (load_id,)).fetchall()
    assert [(r[0], r[2]) for r in rows] == [(3, None), (4, None)]
    # ... and the values are in the health table, for the load's organisation
    held = conn.execute("SELECT line_no, value, organisation_code FROM health.load_reject WHERE load_id = %s "
                        "ORDER BY line_no", (load_id,)).fetchall()
    assert [r[0] for r in held] == [3, 4] and {r[2] for r in held} == {"RJ1"}
    assert "Acre Lane" in held[0][1]
    assert [r[1] for r in rows] == ["arrival_at", "site"]
    # an analyst (and the loader) reads the list but no value, and not the health table
    for who in ("analyst", "loader"):
        c = as_role(who)
        vals = c.execute("SELECT value FROM safestats.load_reject WHERE load_id = %s", (load_id,)).fetchall()
        assert vals == [(None,), (None,)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT value FROM health.load_reject")
    # a health user approved for another organisation sees none of them
    assert as_role("health").execute("SELECT count(*) FROM health.load_reject WHERE load_id = %s",
                                     (load_id,)).fetchone()[0] == 0
    # one approved for St Thomas' (RJ1) sees both, with their values
    gstt = make_login(conn, f"hg_{SUFFIX}", "safestats_health", organisations=["RJ1"])
    try:
        with db.connect(login_url(conn_url(conn), gstt)) as c:
            got = c.execute("SELECT line_no, value FROM health.load_reject WHERE load_id = %s ORDER BY 1",
                            (load_id,)).fetchall()
            assert [r[0] for r in got] == [3, 4] and "Acre Lane" in got[0][1]
    finally:
        conn.execute("DELETE FROM health.approval WHERE login_role = %s", (gstt,))
        conn.execute(f'DROP ROLE "{gstt}"')


def test_rejects_files_are_private(rejected_load):
    f = rejected_load.rejects_file
    assert f is not None and f.exists()
    assert f.stat().st_mode & 0o777 == 0o600
    assert "Acre Lane" in f.read_text()


def test_analysts_see_review_decisions_without_their_text(conn, people, as_role):
    brixton = people[1]["Brixton station"]
    as_role("admin").execute("SELECT safestats.geocode_alias_set('flat 7 rye lane his partners', 'RJZ01', %s)",
                             (brixton,))
    for who in ("analyst", "loader"):
        c = as_role(who)
        for col in ("location_text", "text_norm", "*"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), c.transaction():
                c.execute(f"SELECT {col} FROM gazetteer.alias")
        got = c.execute("SELECT site_code, matched FROM gazetteer.alias_decision "
                        "WHERE feature_id = %s AND site_code = 'RJZ01'", (brixton,)).fetchall()
        assert ("RJZ01", "Brixton station") in got
        assert "location_text" not in [d.name for d in c.execute(
            "SELECT * FROM gazetteer.alias_decision LIMIT 0").description]
        # the geocoder still answers the decided text for them (through its DEFINER look-up)
        ans = c.execute("SELECT matched, confidence FROM safestats.geocode('flat 7 rye lane his partners', "
                        "'RJZ01') ORDER BY confidence DESC LIMIT 1").fetchone()
        assert ans[0] == "Brixton station" and ans[1] >= 0.9
    assert as_role("health").execute("SELECT count(*) FROM gazetteer.alias WHERE location_text = "
                                     "'flat 7 rye lane his partners'").fetchone()[0] == 1
