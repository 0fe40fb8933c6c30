def test_template_has_london(conn):
    n = conn.execute("SELECT count(*) FROM ref.area WHERE level = 'ward' AND vintage = 2018").fetchone()[0]
    assert n == 657
