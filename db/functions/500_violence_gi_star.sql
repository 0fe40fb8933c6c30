-- Violence analysis (issue 18), part 1: the statistics every hotspot map shares.
--
-- Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) with binary weights that include the cell
-- itself. For n units with values x, mean m and S = sqrt(sum(x^2)/n - m^2), unit i with W_i
-- neighbours (itself included) whose values sum to L_i has
--     z_i = (L_i - m W_i) / (S sqrt((n W_i - W_i^2) / (n - 1)))
-- which is approximately standard normal when there is no spatial pattern. The p-value is the
-- two-sided normal tail 2 (1 - Phi(|z|)); the q-value is the Benjamini-Hochberg adjusted p-value
-- over all n units; a unit is a hot (z > 0) or cold (z < 0) spot when q <= the chosen false
-- discovery rate. Nothing here reads data: the callers (510_violence_hotspots.sql) count first
-- and hand the counts over as arrays.

CREATE OR REPLACE FUNCTION safestats.violence_normal_two_sided_p(p_z double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  -- erfc(|z| / sqrt 2) by the Chebyshev fit of Press et al. (fractional error below 1.2e-7 for
  -- every argument), written out: PostgreSQL 15 has no erf(). Beyond |z| = 37 the tail is below
  -- 1e-299 and exp() would underflow, so it is 0.
  SELECT CASE WHEN abs(p_z) / sqrt(2.0) > 26 THEN 0::double precision ELSE (
    SELECT t * exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
             + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
             + t * (-0.82215223 + t * 0.17087277)))))))))
    FROM (SELECT abs(p_z) / sqrt(2.0) AS x, 1.0 / (1.0 + 0.5 * abs(p_z) / sqrt(2.0)) AS t) a) END
$$;
COMMENT ON FUNCTION safestats.violence_normal_two_sided_p(double precision) IS
'Two-sided p-value of a standard normal statistic: 2 (1 - Phi(|z|)), to a relative error below
1.2e-7. Example: SELECT safestats.violence_normal_two_sided_p(1.96) -- 0.05';

CREATE OR REPLACE FUNCTION safestats.violence_gi_star_finish(p_keys bigint[], p_values double precision[],
                                                             p_neighbours integer[],
                                                             p_local_sums double precision[],
                                                             p_fdr double precision DEFAULT 0.05)
RETURNS TABLE (key bigint, value double precision, neighbours integer, local_sum double precision,
               gi_z double precision, p_value double precision, q_value double precision, hotspot text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  WITH u AS (
    SELECT k, v, w, l FROM unnest(p_keys, p_values, p_neighbours, p_local_sums) u(k, v, w, l)
  ), g AS (
    SELECT count(*)::double precision AS n, avg(v) AS m,
           sqrt(greatest(avg(v * v) - avg(v) ^ 2, 0)) AS s FROM u
  ), z AS (
    SELECT u.k, u.v, u.w, u.l,
           CASE WHEN g.s > 1e-12 * greatest(abs(g.m), 1) AND g.n > 1 AND u.w < g.n
                THEN (u.l - g.m * u.w) / (g.s * sqrt((g.n * u.w - u.w::double precision ^ 2) / (g.n - 1)))
           END AS z,
           g.n
    FROM u CROSS JOIN g
  ), p AS (
    SELECT z.*, coalesce(safestats.violence_normal_two_sided_p(z.z), 1) AS p FROM z
  ), bh AS (
    -- Benjamini-Hochberg: q_(i) = min over k >= i of n p_(k) / k, at most 1
    SELECT p.*, least(1, min(p.n * p.p / r) OVER (ORDER BY p.p DESC, p.k DESC
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS q
    FROM (SELECT p.*, row_number() OVER (ORDER BY p.p, p.k) AS r FROM p) p
  )
  SELECT bh.k, bh.v, bh.w, bh.l, bh.z, bh.p, bh.q,
         CASE WHEN bh.q <= p_fdr AND bh.z > 0 THEN 'hot'
              WHEN bh.q <= p_fdr AND bh.z < 0 THEN 'cold' ELSE 'not significant' END
  FROM bh ORDER BY bh.k
$$;
COMMENT ON FUNCTION safestats.violence_gi_star_finish(bigint[], double precision[], integer[], double precision[], double precision) IS
'Getis-Ord Gi* from precomputed neighbour sums: for each unit (key) its value, number of neighbours
W (itself included, binary weights), sum L of the neighbours'' values; returns z, the two-sided normal
p-value, the Benjamini-Hochberg q-value over all units and the class (hot / cold where q <= p_fdr,
else not significant). The units given are the whole study area (zeros included).';

CREATE OR REPLACE FUNCTION safestats.violence_gi_star_grid(p_ix integer[], p_iy integer[],
                                                           p_values double precision[],
                                                           p_band_cells double precision DEFAULT 1.5,
                                                           p_fdr double precision DEFAULT 0.05)
RETURNS TABLE (ix integer, iy integer, value double precision, neighbours integer,
               local_sum double precision, gi_z double precision, p_value double precision,
               q_value double precision, hotspot text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
-- Grid cells (ix, iy) with their values; neighbours of a cell are the cells of the list whose
-- centres lie within p_band_cells cell widths of its centre, itself included (1.5 = the 3 x 3 block,
-- "queen" contiguity; 1 = the cell and its 4 edge neighbours). Cells are keyed ix * 2^24 + iy.
BEGIN
  IF cardinality(p_ix) IS DISTINCT FROM cardinality(p_iy) OR cardinality(p_ix) IS DISTINCT FROM cardinality(p_values) THEN
    RAISE EXCEPTION 'safestats.violence_gi_star_grid: ix, iy and value must be arrays of the same length'
      USING ERRCODE = '22023';
  END IF;
  IF p_band_cells IS NULL OR p_band_cells < 1 OR p_band_cells > 50 THEN
    RAISE EXCEPTION 'safestats.violence_gi_star_grid: band % cells: give 1 .. 50 (1.5 = queen contiguity)',
      p_band_cells USING ERRCODE = '22023';
  END IF;
  IF p_fdr IS NULL OR p_fdr <= 0 OR p_fdr >= 1 THEN
    RAISE EXCEPTION 'safestats.violence_gi_star_grid: false discovery rate % must lie between 0 and 1', p_fdr
      USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH c AS MATERIALIZED (
    SELECT (u.x::bigint << 24) + u.y AS k, u.x, u.y, u.v
    FROM unnest(p_ix, p_iy, p_values) u(x, y, v)
  ), off AS (
    SELECT dx, dy FROM generate_series(-floor(p_band_cells)::int, floor(p_band_cells)::int) dx,
                       generate_series(-floor(p_band_cells)::int, floor(p_band_cells)::int) dy
    WHERE dx * dx + dy * dy <= p_band_cells * p_band_cells + 1e-9
  ), s AS (
    SELECT c.k, count(*)::int AS w, sum(n.v) AS l
    FROM c CROSS JOIN off
    JOIN c n ON n.k = ((c.x + off.dx)::bigint << 24) + (c.y + off.dy)
    GROUP BY c.k
  ), a AS (
    SELECT array_agg(c.k) AS k, array_agg(c.v) AS v, array_agg(s.w) AS w, array_agg(s.l) AS l
    FROM c JOIN s ON s.k = c.k
  )
  SELECT (f.key >> 24)::int, (f.key & 16777215)::int, f.value, f.neighbours, f.local_sum, f.gi_z,
         f.p_value, f.q_value, f.hotspot
  FROM a CROSS JOIN LATERAL safestats.violence_gi_star_finish(a.k, a.v, a.w, a.l, p_fdr) f;
END $$;
COMMENT ON FUNCTION safestats.violence_gi_star_grid(integer[], integer[], double precision[], double precision, double precision) IS
'Getis-Ord Gi* on grid cells given as arrays (column ix, row iy, value; every cell of the study area,
zeros included). Neighbourhood: cells whose centres lie within p_band_cells cell widths, the cell itself
included (1.5 = queen contiguity, the 3 x 3 block). Returns z, two-sided p, Benjamini-Hochberg q and
hot / cold / not significant at false discovery rate p_fdr. Example:
SELECT * FROM safestats.violence_gi_star_grid(ARRAY[0,0,1,1], ARRAY[0,1,0,1], ARRAY[1,2,3,9])';
