-- What the source tables hold, month by month: the basis of `safestats status` (coverage and gaps).

CREATE OR REPLACE VIEW safestats.source_month AS
SELECT 'police.uk crime: ' || force AS source, month, count(*) AS records
FROM crime.street_crime GROUP BY force, month
UNION ALL
SELECT 'police.uk outcomes: ' || force, month, count(*) FROM crime.outcome GROUP BY force, month
UNION ALL
SELECT 'stop and search: ' || force, file_month, count(*) FROM crime.stop_search GROUP BY force, file_month
UNION ALL
SELECT 'MPS ward counts', month, sum(count) FROM crime.mps_ward_month GROUP BY month
UNION ALL
SELECT 'LFB incidents', date_trunc('month', call_date)::date, count(*) FROM incident.lfb_incident
GROUP BY date_trunc('month', call_date)
UNION ALL
SELECT 'LAS assault counts (' || area_level || ')', month, sum(count) FROM incident.las_assault_count
GROUP BY area_level, month
UNION ALL
SELECT 'LAS assaults', date_trunc('month', call_at AT TIME ZONE 'Europe/London')::date, count(*)
FROM incident.las_assault GROUP BY 2;
COMMENT ON VIEW safestats.source_month IS
'Records per source and calendar month for the crime and incident sources (MPS ward and LAS count
files: the sum of their counts). Gaps in a source''s months show as missing rows; see safestats.source_gaps.';

CREATE OR REPLACE VIEW safestats.source_gaps AS
WITH span AS (SELECT source, min(month) AS first_month, max(month) AS last_month
              FROM safestats.source_month GROUP BY source)
SELECT s.source, s.first_month, s.last_month, count(m.m) AS missing_months,
       string_agg(to_char(m.m, 'YYYY-MM'), ', ' ORDER BY m.m) AS missing
FROM span s
JOIN LATERAL generate_series(s.first_month, s.last_month, interval '1 month') m(m) ON true
WHERE NOT EXISTS (SELECT 1 FROM safestats.source_month x WHERE x.source = s.source AND x.month = m.m::date)
GROUP BY s.source, s.first_month, s.last_month;
COMMENT ON VIEW safestats.source_gaps IS
'Months with no records between the first and last month of each crime/incident source: a missing
month is a file not yet loaded (or a year that is incomplete).';
