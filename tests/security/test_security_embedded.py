"""The embedded default is private (issue 13, item 1; issue 16, item 6): another OS user cannot connect,
nothing listens on TCP, the URL people use is a personal non-superuser login, and setup edits the user's
pg_service.conf and QGIS profile in place."""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from safestats import config, qgis_setup
from safestats.cluster import Cluster, os_user, personal_login


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def private_cluster():
    base = Path(tempfile.mkdtemp(prefix="safestats-private-", dir="/tmp"))
    base.chmod(0o755)
    c = Cluster(home=base / "home", port=_free_port(), settings={"fsync": "off", "shared_buffers": "'32MB'"})
    c.start()
    c.wait_ready()
    c.ensure_database()
    with psycopg.connect(c.url(), autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'safestats_analyst') "
                     "THEN CREATE ROLE safestats_analyst NOLOGIN; END IF; END $$")
    yield c
    c.stop()
    shutil.rmtree(base, ignore_errors=True)


def test_socket_directory_is_private_and_no_tcp(private_cluster):
    c = private_cluster
    assert c.socketdir.stat().st_mode & 0o777 == 0o700
    assert c.home.stat().st_mode & 0o777 == 0o700
    hba = [ln.split() for ln in (c.datadir / "pg_hba.conf").read_text().splitlines()
           if ln.strip() and not ln.startswith("#")]
    assert hba == [["local", "all", "all", "peer", "map=safestats"]]
    with psycopg.connect(c.url("postgres")) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""
        assert conn.execute("SELECT count(*) FROM pg_hba_file_rules WHERE type <> 'local' "
                            "OR auth_method = 'trust'").fetchone()[0] == 0


def test_another_os_user_cannot_connect(private_cluster):
    """Probe item 1: `runuser -u nobody -- psql -h <run> -U postgres` read every A&E record."""
    c = private_cluster
    if not config.running_as_root() or not shutil.which("runuser"):
        pytest.skip("needs root to act as another OS user")
    psql = shutil.which("psql") or str(c._bin("psql"))
    for user in ("postgres", c.login, "nobody"):
        r = subprocess.run(["runuser", "-u", "nobody", "--", psql, "-h", str(c.socketdir), "-p", str(c.port),
                            "-U", user, "-d", "safestats", "-Atc", "select 1"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode != 0 and r.stdout.strip() != "1", (user, r.stdout, r.stderr)
        assert "Permission denied" in r.stderr or "authentication failed" in r.stderr, r.stderr
    # and with the directory open, the ident map still refuses it (two locks, not one)
    c.socketdir.chmod(0o755)
    c.home.chmod(0o755)
    try:
        r = subprocess.run(["runuser", "-u", "nobody", "--", psql, "-h", str(c.socketdir), "-p", str(c.port),
                            "-U", "postgres", "-d", "safestats", "-Atc", "select 1"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode != 0 and "authentication failed" in r.stderr, r.stderr
    finally:
        c.socketdir.chmod(0o700)
        c.home.chmod(0o700)


def test_the_os_user_gets_a_personal_non_superuser_login(private_cluster):
    c = private_cluster
    assert c.login == personal_login(os_user())
    made = c.ensure_personal_login()
    assert made is None or "safestats_analyst" in made
    assert c.ensure_personal_login() is None            # once only
    assert c.user_url().startswith(f"postgresql://{c.login}@/safestats?host=")
    with psycopg.connect(c.user_url()) as conn:
        user, su = conn.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
                                ).fetchone()
        assert (user, su) == (c.login, False)
        assert conn.execute("SELECT pg_has_role(current_user, 'safestats_analyst', 'MEMBER')").fetchone()[0]
    # the map admits only this OS user's two logins: not any other role
    with psycopg.connect(c.url("postgres"), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS mallory")
        conn.execute("CREATE ROLE mallory LOGIN")
    with pytest.raises(psycopg.OperationalError, match="authentication failed|no match"):
        psycopg.connect(c.user_url().replace(f"//{c.login}@", "//mallory@", 1))


def test_db_url_prints_the_personal_login_and_owner_on_request(private_cluster, monkeypatch, capsys):
    from safestats.cli import main
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SAFESTATS_HOME", str(private_cluster.home))
    monkeypatch.setenv("SAFESTATS_PORT", str(private_cluster.port))
    assert main(["db", "url"]) == 0
    assert capsys.readouterr().out.strip() == private_cluster.user_url()
    assert main(["db", "url", "--owner"]) == 0
    assert capsys.readouterr().out.strip().startswith("postgresql://postgres@/")


def test_an_old_trust_cluster_becomes_private_on_start(tmp_path):
    tmp_path.chmod(0o755)
    for parent in tmp_path.parents:
        if parent.stat().st_mode & 0o005 != 0o005 and str(parent).startswith("/tmp/pytest"):
            parent.chmod(parent.stat().st_mode | 0o005)
    c = Cluster(home=tmp_path / "old", port=_free_port(), local_auth="trust")
    c.init()
    assert "trust" in (c.datadir / "pg_hba.conf").read_text()
    private = Cluster(home=c.home, port=c.port)
    assert private.write_auth() is True
    assert "trust" not in (private.datadir / "pg_hba.conf").read_text()
    assert private.write_auth() is False


COMMENTED_SERVICE = """# my services — keep this comment
[work]
# the office database
host=db.example.org
dbname=work

[safestats-demo]
# written by hand once; this comment stays
host=/old/run
user=postgres
port=54329
sslmode=disable
"""


def test_service_file_is_edited_in_place_keeping_comments(tmp_path, capsys):
    f = tmp_path / "pg_service.conf"
    f.write_text(COMMENTED_SERVICE)
    url = "postgresql://alice@/safestats?host=/new/run&port=54331"
    edit = qgis_setup.write_service(url, path=f)
    text = f.read_text()
    for kept in ("# my services — keep this comment", "# the office database", "host=db.example.org",
                 "# written by hand once; this comment stays", "sslmode=disable"):
        assert kept in text
    assert "host=/new/run" in text and "user=alice" in text and "port=54331" in text
    assert "user=postgres" not in text and text.count("[safestats-demo]") == 1
    assert any("user: 'postgres' -> 'alice'" in c for c in edit.changed)
    assert edit.backup and edit.backup.read_text() == COMMENTED_SERVICE
    assert any("undo" in ln for ln in edit.lines("delete the [safestats-demo] section"))
    # a second run changes nothing and says so
    again = qgis_setup.write_service(url, path=f)
    assert again.changed == [] and f.read_text() == text
    assert "nothing changed" in again.lines("x")[0]


def test_qgis_profile_is_edited_in_place_and_qgis_reads_it(tmp_path):
    profile = tmp_path / "profile"
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[General]\n; a comment QGIS users keep\nlocale=en_GB\n\n[PostgreSQL]\n"
                   "connections\\Other%20db\\host=db.example.org\nconnections\\selected=Other db\n")
    edit = qgis_setup.write_qgis_connection(profile=profile)
    text = ini.read_text()
    assert "; a comment QGIS users keep" in text and "connections\\Other%20db\\host=db.example.org" in text
    assert edit.changed and edit.backup
    from qgis.PyQt.QtCore import QSettings
    s = QSettings(str(ini), QSettings.IniFormat)
    assert s.value("PostgreSQL/connections/SafeStats demo/service") == "safestats-demo"
    assert s.value("PostgreSQL/connections/Other db/host") == "db.example.org"
    assert s.value("safestats/connection") == "SafeStats demo"
    assert s.value("locale") == "en_GB"       # QSettings keeps [General] keys at the top level


def test_demo_no_user_config_leaves_the_files_alone(tmp_path, monkeypatch):
    from safestats import demo
    svc = tmp_path / "pg_service.conf"
    svc.write_text(COMMENTED_SERVICE)
    monkeypatch.setenv("PGSERVICEFILE", str(svc))
    monkeypatch.setenv("SAFESTATS_QGIS_PROFILE", str(tmp_path / "profile"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://alice@/safestats?host=/tmp/x&port=5")
    lines = demo.register_for_user(write=False)
    assert "left untouched" in lines[0]
    assert svc.read_text() == COMMENTED_SERVICE and not (tmp_path / "profile").exists()
    # and with it, both files are changed and each change is reported with its undo
    lines = demo.register_for_user(write=True)
    assert "user=alice" in svc.read_text() and "# my services — keep this comment" in svc.read_text()
    assert (tmp_path / "profile" / "QGIS" / "QGIS3.ini").exists()
    assert sum("undo" in ln for ln in lines) == 2
