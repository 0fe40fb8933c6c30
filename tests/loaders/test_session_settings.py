"""What the bulk steps set for their own transactions (loaders/session.py, issue 20): only there, only
what the login may set, and gone at commit."""
from __future__ import annotations

from loaders import session


def _setting(conn, name: str) -> str:
    return conn.execute("SELECT current_setting(%s)", (name,)).fetchone()[0]


def test_a_bulk_transaction_compresses_full_page_images_until_it_ends(conn):
    assert _setting(conn, "wal_compression") == "off"
    with conn.transaction():
        session.tune(conn)
        assert _setting(conn, "wal_compression") == "lz4"
        assert _setting(conn, "jit") == "off"
    assert _setting(conn, "wal_compression") == "off"


def test_a_login_that_may_not_set_wal_compression_is_left_alone(conn):
    conn.execute("DROP ROLE IF EXISTS bulk_plain")
    conn.execute("CREATE ROLE bulk_plain")
    try:
        with conn.transaction():
            conn.execute("SET LOCAL ROLE bulk_plain")
            assert session.compress_wal(conn) is False
            session.tune(conn)          # no error: the transaction goes on
            assert _setting(conn, "wal_compression") == "off"
        with conn.transaction():
            conn.execute("GRANT SET ON PARAMETER wal_compression TO bulk_plain")
            conn.execute("SET LOCAL ROLE bulk_plain")
            assert session.compress_wal(conn, "zstd") is True
            assert _setting(conn, "wal_compression") == "zstd"
    finally:
        conn.execute("RESET ROLE")
        conn.execute("REVOKE SET ON PARAMETER wal_compression FROM bulk_plain")
        conn.execute("DROP ROLE bulk_plain")


def test_off_or_an_unknown_method_leaves_the_server_setting(conn):
    with conn.transaction():
        assert session.compress_wal(conn, "off") is False
        assert session.compress_wal(conn, "snappy") is False
        assert _setting(conn, "wal_compression") == "off"


def test_safestats_wal_compression_names_the_method_or_off(conn, monkeypatch):
    monkeypatch.setenv("SAFESTATS_WAL_COMPRESSION", "off")
    with conn.transaction():
        session.tune(conn)
        assert _setting(conn, "wal_compression") == "off"
    monkeypatch.setenv("SAFESTATS_WAL_COMPRESSION", "ZSTD ")
    with conn.transaction():
        session.tune(conn)
        assert _setting(conn, "wal_compression") == "zstd"
