-- Published aggregates of A&E assault attendances: the `open` schema, the only data the
-- safestats_public role reads. These views run with their owner's rights (safestats_owner) and read
-- only health.ae_assault_coarse, itself limited to ward / LSOA level (400_access.sql); every figure
-- passes through open.protect_table (410_disclosure.sql) before anyone sees it.
-- Records without a 2022 ward (not located, or outside London) are not in these tables.

CREATE OR REPLACE VIEW open.ae_assault_ward_month AS
WITH counts AS (
  SELECT c.ward22_code AS ward_code, to_char(c.month, 'YYYY-MM') AS month, count(*) AS n
  FROM health.ae_assault_coarse c
  WHERE c.ward22_code IS NOT NULL
  GROUP BY 1, 2
), published AS (
  SELECT p.*
  FROM (SELECT array_agg(ward_code) AS r, array_agg(month) AS c, array_agg(n) AS n FROM counts) a
  CROSS JOIN LATERAL open.protect_table(a.r, a.c, a.n) p
)
SELECT p.row_key AS ward_code, nm.name AS ward_name, nm.parent_code AS borough_code,
       p.col_key AS month, p.shown AS assaults, p.suppressed,
       CASE WHEN p.row_key IS NULL AND p.col_key IS NULL THEN 'London, all months'
            WHEN p.row_key IS NULL THEN 'London'
            WHEN p.col_key IS NULL THEN 'all months' ELSE 'ward-month' END AS total_kind
FROM published p
LEFT JOIN ref.area_name nm ON nm.level = 'ward' AND nm.vintage = 2022 AND nm.code = p.row_key;
COMMENT ON VIEW open.ae_assault_ward_month IS
'A&E assault attendances by 2022 ward and month, with ward totals (month NULL), London monthly totals
(ward_code NULL) and the grand total, after disclosure control (open.disclosure_rule): assaults is NULL
where withheld (suppressed = true). Zeros are not listed: a ward-month absent from the table had no
attendance recorded.';

CREATE OR REPLACE VIEW open.ae_assault_ward AS
WITH counts AS (
  SELECT c.ward22_code AS ward_code, count(*) AS n
  FROM health.ae_assault_coarse c
  WHERE c.ward22_code IS NOT NULL
  GROUP BY 1
), published AS (
  SELECT p.*
  FROM (SELECT array_agg(ward_code) AS r, array_agg('all'::text) AS c, array_agg(n) AS n FROM counts) a
  CROSS JOIN LATERAL open.protect_table(a.r, a.c, a.n, p_row_totals => false) p
)
SELECT p.row_key AS ward_code, coalesce(nm.name, 'London') AS ward_name, nm.parent_code AS borough_code,
       p.shown AS assaults, p.suppressed,
       ar.geom::geometry(MultiPolygon, 27700) AS geom
FROM published p
LEFT JOIN ref.area_name nm ON nm.level = 'ward' AND nm.vintage = 2022 AND nm.code = p.row_key
LEFT JOIN ref.area ar ON ar.level = 'ward' AND ar.vintage = 2022 AND ar.code = p.row_key
WHERE p.col_key IS NOT NULL;   -- the grand total repeats the London row of the single column
COMMENT ON VIEW open.ae_assault_ward IS
'A&E assault attendances per 2022 ward over all loaded periods, with the London total (ward_code NULL),
after disclosure control: assaults is NULL where withheld. A map layer (2022 ward polygons, approximate
where derived from LSOAs).';
