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

-- The ward layer publishes exactly the ward totals (and the London total) of open.ae_assault_ward_month,
-- so both are protected jointly: a ward total withheld in the table is withheld on the map too, and the
-- layer adds no figure to what the table publishes (protecting the layer on its own let an LP over both
-- recover withheld totals, issue 13).
CREATE OR REPLACE VIEW open.ae_assault_ward AS
SELECT t.ward_code, coalesce(t.ward_name, 'London') AS ward_name, t.borough_code,
       t.assaults, t.suppressed,
       ar.geom::geometry(MultiPolygon, 27700) AS geom
FROM open.ae_assault_ward_month t
LEFT JOIN ref.area ar ON ar.level = 'ward' AND ar.vintage = 2022 AND ar.code = t.ward_code
WHERE t.month IS NULL;
COMMENT ON VIEW open.ae_assault_ward IS
'A&E assault attendances per 2022 ward over all loaded periods, with the London total (ward_code NULL),
after disclosure control: assaults is NULL where withheld. The same figures as the ward totals of
open.ae_assault_ward_month (protected jointly with it). A map layer (2022 ward polygons, approximate
where derived from LSOAs).';
