"""``safestats db check``: the server and login read as a DBA would before a big load (issue 20)."""
from __future__ import annotations

import json

import psycopg

from safestats import server_check


def _rows(out: str) -> dict[str, dict]:
    return {r["check"]: r for r in json.loads(out)}


def test_db_check_reads_the_server_it_is_pointed_at(run_cli, conn):
    code, out, _ = run_cli("db", "check", "--format", "json")
    rows = _rows(out)
    setting = dict(conn.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                                "('wal_level', 'autovacuum', 'wal_compression', 'max_wal_size')").fetchall())
    for name, value in setting.items():
        assert rows[name]["value"] == value
    assert rows["PostGIS"]["verdict"] == "ok"
    assert rows["autovacuum"]["verdict"] == ("ok" if setting["autovacuum"] == "on" else "problem")
    assert code == (1 if any(r["verdict"] == "problem" for r in rows.values()) else 0)
    # the test server's superuser may set wal_compression and run the two-connection path
    assert rows["wal_compression"]["verdict"] == "ok"
    assert "SafeStats sets lz4" in rows["wal_compression"]["meaning"]
    assert rows["two-connection loads"]["value"] == "yes"


def test_db_check_table_prints_what_to_do_in_full(conn, db_url, monkeypatch, capsys):
    """As a plain login (advice to give): every row in the table, and each piece of advice whole."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from safestats.cli import main
    conn.execute("DROP ROLE IF EXISTS check_login")
    conn.execute("CREATE ROLE check_login LOGIN")
    try:
        plain = make_conninfo(**{**conninfo_to_dict(db_url), "user": "check_login"})
        monkeypatch.setenv("DATABASE_URL", plain)
        code = main(["db", "check"])
        out = capsys.readouterr().out
        conn.execute("SET ROLE check_login")
        rows = server_check.checks(conn).rows
    finally:
        conn.execute("RESET ROLE")
        conn.execute("DROP ROLE check_login")
    assert out.lstrip().startswith("server check: ") and " as check_login" in out
    assert any(r[2] != "ok" for r in rows)
    assert code == (1 if any(r[2] == "problem" for r in rows) else 0)
    for check, value, verdict, meaning in rows:
        assert check in out
        if verdict != "ok":
            assert f"{verdict}: {check} = {value}\n  {meaning}\n" in out


def test_a_login_without_the_rights_is_told_what_to_grant(conn):
    conn.execute("DROP ROLE IF EXISTS check_plain")
    conn.execute("CREATE ROLE check_plain")
    try:
        conn.execute("SET ROLE check_plain")
        rows = {r[0]: r for r in server_check.checks(conn).rows}
    finally:
        conn.execute("RESET ROLE")
        conn.execute("DROP ROLE check_plain")
    _, value, verdict, meaning = rows["two-connection loads"]
    assert (value, verdict) == ("no", "advice")
    owner = conn.execute("SELECT relowner::regrole::text FROM pg_class "
                         "WHERE oid = 'crime.street_crime'::regclass").fetchone()[0]
    assert f"GRANT {owner} TO check_plain" in meaning
    assert f"GRANT CREATE ON DATABASE {conn.info.dbname} TO check_plain" in meaning
    assert rows["wal_compression"][2] == "advice"
    assert "GRANT SET ON PARAMETER wal_compression TO check_plain" in rows["wal_compression"][3]


def test_nothing_is_changed_by_the_check(conn):
    before = conn.execute("SELECT count(*) FROM pg_settings WHERE source = 'session'").fetchone()[0]
    server_check.checks(conn)
    assert conn.execute("SELECT count(*) FROM pg_settings WHERE source = 'session'").fetchone()[0] == before
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
