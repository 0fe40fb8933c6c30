-- Disclosure control, implemented once: every published aggregate (the views in schema `open`
-- and `safestats export`) goes through these functions. The rule and threshold are the one row
-- of open.disclosure_rule.
--
-- Rule "suppress": counts 1 .. threshold-1 are withheld (primary suppression); zeros are shown.
-- Then secondary suppression: a table is published with its row totals, column totals and grand
-- total, so a withheld cell could be worked out (or bounded) from them. Every withheld cell is
-- therefore put into a "protecting rectangle" of four withheld cells (two rows x two columns,
-- totals counting as a row / column). Moving +t / -t around such a rectangle keeps every published
-- total unchanged, so nobody can tell the true table from the moved one; the move is possible while
-- no count goes below zero. For a rectangle that allows a total movement of at least `threshold`,
-- every cell in it can only be bounded to an interval at least `threshold` wide -- whatever
-- else is published. (tests/test_security_disclosure.py checks this with linear programming.)
-- Rule "round": every count and total is rounded to the nearest multiple of rounding_base
-- independently (totals are rounded true totals, not sums of rounded cells); no suppression.

CREATE OR REPLACE FUNCTION open.disclosure_setting(OUT rule text, OUT threshold integer, OUT rounding_base integer)
LANGUAGE sql STABLE
AS $$
  SELECT coalesce((SELECT d.rule FROM open.disclosure_rule d), 'suppress'),
         coalesce((SELECT d.threshold FROM open.disclosure_rule d), 5),
         coalesce((SELECT d.rounding_base FROM open.disclosure_rule d), 5)
$$;
COMMENT ON FUNCTION open.disclosure_setting() IS
'The disclosure-control rule in force (open.disclosure_rule; suppress below 5 when unset).';

CREATE OR REPLACE FUNCTION open.disclose(p_count bigint)
RETURNS bigint
LANGUAGE sql STABLE
AS $$
  -- One count on its own (no totals published beside it): primary rule only.
  SELECT CASE
    WHEN p_count IS NULL THEN NULL
    WHEN s.rule = 'round' THEN (round(p_count::numeric / s.rounding_base) * s.rounding_base)::bigint
    WHEN p_count BETWEEN 1 AND s.threshold - 1 THEN NULL
    ELSE p_count END
  FROM open.disclosure_setting() s
$$;
COMMENT ON FUNCTION open.disclose(bigint) IS
'A single published count under the disclosure rule: NULL when withheld (1 .. threshold-1), rounded
under the round rule. For tables with totals use open.protect_table (secondary suppression).';

CREATE OR REPLACE FUNCTION open.protect_table(p_row_keys text[], p_col_keys text[], p_counts bigint[],
                                              p_row_totals boolean DEFAULT true,
                                              p_col_totals boolean DEFAULT true,
                                              p_rule text DEFAULT NULL, p_threshold integer DEFAULT NULL)
RETURNS TABLE (row_key text, col_key text, shown bigint, suppressed boolean)
LANGUAGE plpgsql STABLE
AS $$
-- Input: one (row key, column key, count) triple per cell (missing cells are 0; repeated cells add
-- up). Output: every cell and every published total (row_key NULL = column total, col_key NULL =
-- row total, both NULL = grand total) with the value to publish, NULL where withheld.
-- Internally the table is extended by a total row (R+1) and a total column (C+1), held in flat
-- arrays indexed (r-1)*(C+1)+c. Totals that are not published are "hidden": unknown to a reader, so
-- they need no protection themselves and protect others for free.
DECLARE
  v_rule text; v_t integer; v_base integer;
  rk text[]; ck text[];
  nr integer; nc integer; w integer; n integer;
  cnt bigint[]; sup boolean[]; hid boolean[]; prot boolean[];
  x integer; i integer; j integer; best record; v_pass integer;
BEGIN
  SELECT coalesce(p_rule, s.rule), coalesce(p_threshold, s.threshold), s.rounding_base
    INTO v_rule, v_t, v_base FROM open.disclosure_setting() s;
  IF v_rule NOT IN ('suppress', 'round') THEN
    RAISE EXCEPTION 'open.protect_table: unknown rule %', quote_literal(v_rule) USING ERRCODE = '22023',
      HINT = 'suppress or round';
  END IF;
  IF v_t IS NULL OR v_t < 2 THEN
    RAISE EXCEPTION 'open.protect_table: threshold must be 2 or more' USING ERRCODE = '22023';
  END IF;
  IF cardinality(p_row_keys) IS DISTINCT FROM cardinality(p_col_keys)
     OR cardinality(p_row_keys) IS DISTINCT FROM cardinality(p_counts) THEN
    RAISE EXCEPTION 'open.protect_table: row keys, column keys and counts must be arrays of the same length'
      USING ERRCODE = '22023';
  END IF;
  IF coalesce(cardinality(p_row_keys), 0) = 0 THEN RETURN; END IF;   -- nothing to publish
  IF EXISTS (SELECT 1 FROM unnest(p_row_keys, p_col_keys, p_counts) u(r, c, k)
             WHERE r IS NULL OR c IS NULL OR k IS NULL OR k < 0) THEN
    RAISE EXCEPTION 'open.protect_table: keys must not be NULL and counts must be 0 or more'
      USING ERRCODE = '22023';
  END IF;

  rk := ARRAY(SELECT DISTINCT r FROM unnest(p_row_keys) r ORDER BY 1);
  ck := ARRAY(SELECT DISTINCT c FROM unnest(p_col_keys) c ORDER BY 1);
  nr := cardinality(rk); nc := cardinality(ck); w := nc + 1; n := (nr + 1) * w;

  -- The extended table in one pass: CUBE gives cells, row totals, column totals and the grand total.
  SELECT array_agg(g.k ORDER BY g.i, g.j) INTO cnt
  FROM (SELECT coalesce(ri.o, nr + 1) AS i, coalesce(ci.o, nc + 1) AS j, sum(coalesce(a.k, 0)) AS k
        FROM unnest(rk) WITH ORDINALITY ri(key, o)
        CROSS JOIN unnest(ck) WITH ORDINALITY ci(key, o)
        LEFT JOIN (SELECT r, c, sum(k) AS k FROM unnest(p_row_keys, p_col_keys, p_counts) u(r, c, k)
                   GROUP BY r, c) a ON a.r = ri.key AND a.c = ci.key
        GROUP BY CUBE (ri.o, ci.o)) g;

  IF v_rule = 'round' THEN
    RETURN QUERY
      SELECT CASE WHEN (x0 - 1) / w + 1 <= nr THEN rk[(x0 - 1) / w + 1] END,
             CASE WHEN (x0 - 1) % w + 1 <= nc THEN ck[(x0 - 1) % w + 1] END,
             (round(cnt[x0]::numeric / v_base) * v_base)::bigint, false
      FROM generate_series(1, n) x0
      WHERE ((x0 - 1) / w + 1 <= nr OR p_col_totals) AND ((x0 - 1) % w + 1 <= nc OR p_row_totals);
    RETURN;
  END IF;

  sup := array_fill(false, ARRAY[n]); prot := array_fill(false, ARRAY[n]); hid := array_fill(false, ARRAY[n]);
  FOR x IN 1 .. n LOOP
    i := (x - 1) / w + 1; j := (x - 1) % w + 1;
    -- row totals live in column C+1, column totals in row R+1; the grand total is published
    -- whenever either kind of total is
    hid[x] := (j = w AND i <= nr AND NOT p_row_totals) OR (i = nr + 1 AND j <= nc AND NOT p_col_totals)
              OR (i = nr + 1 AND j = w AND NOT (p_row_totals OR p_col_totals));
    sup[x] := hid[x] OR (cnt[x] BETWEEN 1 AND v_t - 1);
  END LOOP;
  -- A table whose grand total another published table withholds (the violence hour-of-week release
  -- counts the records of the ward x month release) withholds it too, and protects it like any other
  -- withheld figure: its caller sets safestats.withhold_grand_total = 'on' for that one call.
  IF coalesce(current_setting('safestats.withhold_grand_total', true), '') = 'on'
     AND (p_row_totals OR p_col_totals) THEN
    sup[n] := true;
  END IF;

  -- Speed: figures that already sit in a rectangle of withheld figures wide enough need no search
  -- (in sparse tables of small counts, most do). Same width rule as below; nearby rows only.
  FOR x IN
    WITH s AS (
      SELECT o, (o - 1) / w + 1 AS ri, (o - 1) % w + 1 AS ci, cnt[o] AS v,
             CASE WHEN ((o - 1) / w + 1 <= nr) = ((o - 1) % w + 1 <= nc) THEN 1 ELSE -1 END AS sg
      FROM generate_series(1, n) o WHERE sup[o])
    SELECT DISTINCT a.o
    FROM s a
    JOIN s b ON b.ri = a.ri AND b.ci <> a.ci
    JOIN s c ON c.ci = a.ci AND c.ri <> a.ri AND (c.ri BETWEEN a.ri - 6 AND a.ri + 6 OR c.ri = nr + 1)
    JOIN s d ON d.ri = c.ri AND d.ci = b.ci
    WHERE NOT hid[a.o]
      AND coalesce(least(CASE WHEN a.sg = 1 THEN a.v END, CASE WHEN -b.sg = 1 THEN b.v END,
                         CASE WHEN -c.sg = 1 THEN c.v END, CASE WHEN d.sg = 1 THEN d.v END), 1e15)
        + coalesce(least(CASE WHEN a.sg = -1 THEN a.v END, CASE WHEN -b.sg = -1 THEN b.v END,
                         CASE WHEN -c.sg = -1 THEN c.v END, CASE WHEN d.sg = -1 THEN d.v END), 1e15) >= v_t
  LOOP
    prot[x] := true;
  END LOOP;

  -- Secondary suppression: give every withheld published cell a protecting rectangle.
  FOR x IN 1 .. n LOOP
    CONTINUE WHEN NOT sup[x] OR hid[x] OR prot[x];
    i := (x - 1) / w + 1; j := (x - 1) % w + 1;
    -- Candidates: every other row l and column k. A cell's count moves with sign s*p, where p is the
    -- rectangle pattern (+ at (i,j) and (l,k), - at (i,k) and (l,j)) and s is -1 for totals (a
    -- total equals minus the rest of its line) and +1 for cells and the grand total. The reachable
    -- width is min(count of cells moving up) + min(count of cells moving down).
    v_pass := 1;
    <<search>>
    LOOP
    SELECT z.* INTO best
    FROM (
      SELECT q.l, q.k, q.xb, q.xc, q.xd,
             coalesce(least(CASE WHEN q.sa = 1 THEN cnt[x] END, CASE WHEN -q.sb = 1 THEN cnt[q.xb] END,
                            CASE WHEN -q.sc = 1 THEN cnt[q.xc] END, CASE WHEN q.sd = 1 THEN cnt[q.xd] END), 1e15)
           + coalesce(least(CASE WHEN q.sa = -1 THEN cnt[x] END, CASE WHEN -q.sb = -1 THEN cnt[q.xb] END,
                            CASE WHEN -q.sc = -1 THEN cnt[q.xc] END, CASE WHEN q.sd = -1 THEN cnt[q.xd] END), 1e15)
             AS width,
             -- cost of the new suppressions: a total is worth far more to readers than a cell
             CASE WHEN sup[q.xb] THEN 0 ELSE q.wb END + CASE WHEN sup[q.xc] THEN 0 ELSE q.wc END
             + CASE WHEN sup[q.xd] THEN 0 ELSE q.wd END AS cost,
             CASE WHEN sup[q.xb] THEN 0 ELSE cnt[q.xb] END + CASE WHEN sup[q.xc] THEN 0 ELSE cnt[q.xc] END
             + CASE WHEN sup[q.xd] THEN 0 ELSE cnt[q.xd] END AS lost
      FROM (SELECT l, k, (i - 1) * w + k AS xb, (l - 1) * w + j AS xc, (l - 1) * w + k AS xd,
                   CASE WHEN (i <= nr) = (j <= nc) THEN 1 ELSE -1 END AS sa,
                   CASE WHEN (i <= nr) = (k <= nc) THEN 1 ELSE -1 END AS sb,
                   CASE WHEN (l <= nr) = (j <= nc) THEN 1 ELSE -1 END AS sc,
                   CASE WHEN (l <= nr) = (k <= nc) THEN 1 ELSE -1 END AS sd,
                   CASE WHEN i <= nr AND k <= nc THEN 1 WHEN i > nr AND k > nc THEN 400 ELSE 20 END AS wb,
                   CASE WHEN l <= nr AND j <= nc THEN 1 WHEN l > nr AND j > nc THEN 400 ELSE 20 END AS wc,
                   CASE WHEN l <= nr AND k <= nc THEN 1 WHEN l > nr AND k > nc THEN 400 ELSE 20 END AS wd
            -- first look among the neighbouring rows (in key order: for area codes, mostly the
            -- same borough) and the total row; the whole table only when that finds nothing
            FROM (SELECT g AS l FROM generate_series(CASE WHEN v_pass = 1 THEN greatest(1, i - 6) ELSE 1 END,
                                                     CASE WHEN v_pass = 1 THEN least(nr, i + 6) ELSE nr END) g
                  UNION ALL SELECT nr + 1) ls,
                 generate_series(1, w) k
            WHERE l <> i AND k <> j) q
    ) z
    ORDER BY z.width >= v_t DESC, z.cost, z.lost, z.l, z.k
    LIMIT 1;
    IF v_pass = 1 AND (best.l IS NULL OR best.width < v_t) THEN
      v_pass := 2;
      CONTINUE search;
    END IF;
    EXIT search;
    END LOOP search;
    IF best.l IS NULL THEN
      -- a 1 x 1 table without totals: nothing to pair with, and nothing published beside it
      prot[x] := true;
      CONTINUE;
    END IF;
    IF best.width < v_t THEN
      RAISE WARNING 'open.protect_table: cell (%, %) can only be protected to width % (< %)',
        i, j, best.width, v_t;
    END IF;
    sup[best.xb] := true; sup[best.xc] := true; sup[best.xd] := true;
    prot[x] := true; prot[best.xb] := true; prot[best.xc] := true; prot[best.xd] := true;
  END LOOP;

  RETURN QUERY
    SELECT CASE WHEN (x0 - 1) / w + 1 <= nr THEN rk[(x0 - 1) / w + 1] END,
           CASE WHEN (x0 - 1) % w + 1 <= nc THEN ck[(x0 - 1) % w + 1] END,
           CASE WHEN sup[x0] THEN NULL ELSE cnt[x0] END, sup[x0]
    FROM generate_series(1, n) x0
    WHERE NOT hid[x0];
END $$;
COMMENT ON FUNCTION open.protect_table(text[], text[], bigint[], boolean, boolean, text, integer) IS
'Disclosure control for a two-way table of counts published with its row totals, column totals and
grand total (switch either kind of total off with p_row_totals / p_col_totals; a one-way table is one
column without row totals). Returns every cell and published total with the value to publish (NULL =
withheld) under open.disclosure_rule (or p_rule / p_threshold), with secondary suppression so that no
withheld cell can be bounded to an interval narrower than the threshold. Example:
SELECT * FROM open.protect_table(ARRAY[''E05000001'',''E05000002''], ARRAY[''2024-01'',''2024-01''], ARRAY[3,12]::bigint[])';
