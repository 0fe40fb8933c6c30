-- Loads whose process was killed: loaders/provenance.py holds a session-level advisory lock
-- (key 0x5AFE = 23294, load_id) from the moment a load's provenance row is committed until the load ends.
-- A row still 'running' that no session of this database holds was interrupted (killed, lost connection).

CREATE OR REPLACE FUNCTION safestats.mark_interrupted_loads()
RETURNS integer
LANGUAGE sql VOLATILE
AS $$
  WITH held AS (
    SELECT l.objid::bigint AS load_id FROM pg_catalog.pg_locks l
    WHERE l.locktype = 'advisory' AND l.classid = 23294 AND l.objsubid = 2 AND l.granted
      AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())),
  marked AS (
    UPDATE safestats.load s SET status = 'interrupted', finished_at = pg_catalog.clock_timestamp(),
           message = coalesce(s.message, 'interrupted: no session holds this load any more (the process was '
                                         'killed or lost its connection); nothing of it was kept, load it again')
    WHERE s.status = 'running' AND s.load_id NOT IN (SELECT h.load_id FROM held h)
    RETURNING 1)
  SELECT count(*)::integer FROM marked
$$;
COMMENT ON FUNCTION safestats.mark_interrupted_loads() IS
'Marks loads left ''running'' by a killed process as ''interrupted'' (no session holds their advisory lock) and
returns how many. Run by every load before it starts and by `safestats status`; loader and admin only.';
