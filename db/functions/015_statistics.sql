-- Fresh planner statistics for the tables a transaction has just written (issue 19).
-- Autovacuum analyses a table some time after it changes; a query planned before that (the first
-- comparator build after a load took 79 s instead of 0.5 s) plans for the table as it was. Every
-- bulk step (the loading core, the reference build, the Landscape and comparator builds, the
-- gazetteer rebuild) calls this before it commits, so the first query after it is planned on the
-- rows it wrote.

CREATE OR REPLACE FUNCTION safestats_internal.analyze_written()
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- SECURITY DEFINER: ANALYZE needs the table owner (PostgreSQL 15 has no MAINTAIN privilege), and the
-- loading logins are not the owner. It analyses only tables this transaction inserted, updated or
-- deleted rows in (pg_stat_xact_user_tables: this backend's own counts), owned by a role this
-- function's owner has the rights of; temporary tables and the scratch schemas of loads on two
-- connections (dropped at the load's end) are left out. Inside the writing transaction ANALYZE
-- samples the transaction's own new rows as live and its deleted rows as dead, so the statistics
-- describe the table as it will be once the transaction commits.
DECLARE r record; n integer := 0;
BEGIN
  FOR r IN
    SELECT s.relid FROM pg_stat_xact_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 0
      AND c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
      AND s.schemaname !~ '^(pg_|safestats_load_)' AND s.schemaname <> 'information_schema'
      AND pg_has_role(c.relowner, 'USAGE')
    ORDER BY s.relid
  LOOP
    EXECUTE format('ANALYZE %s', r.relid::regclass);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;
COMMENT ON FUNCTION safestats_internal.analyze_written() IS
'ANALYZE every SafeStats table the current transaction has written rows to (inserted, updated or '
'deleted), before it commits, so the next query is planned on fresh statistics rather than waiting '
'for autovacuum. The loading core and every bulk step call it; call it yourself at the end of a '
'transaction that bulk-writes SafeStats tables by hand. Returns the number of tables analysed.';
