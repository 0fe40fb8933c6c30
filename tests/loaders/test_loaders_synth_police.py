"""`safestats synth police-uk`: files in the published layout whose points follow the real per-LSOA counts."""
from __future__ import annotations

import csv
from collections import Counter

from loaders import police_uk
from loaders.core import LoadOptions, load_csv
from safestats import synth_police


def test_synthetic_police_files_follow_real_counts_and_load(conn, shared_data, tmp_path):
    counts = shared_data / "datastore" / "mps_lsoa_annual_crime_2011_2021"
    files = synth_police.write(conn, tmp_path, 6000, "2019-01", "2019-06", counts_dir=counts, seed=3)
    assert [f.name for f in files] == [f"2019-0{m}-metropolitan-street.csv" for m in range(1, 7)]
    rows = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    assert len(rows) == 6000
    assert list(rows[0]) == synth_police.HEADER
    # The real files' quirks are there.
    assert 0.04 < sum(1 for r in rows if not r["Longitude"]) / len(rows) < 0.12
    asb = [tuple(r.values()) for r in rows if r["Crime type"] == "Anti-social behaviour"]
    assert 0.2 < len(asb) / len(rows) < 0.4
    # Points follow the real counts: the borough with most recorded crime (by the MPS files) is
    # among the top three of the synthetic rows.
    real = Counter()
    for f in counts.glob("london-2011-2021-major-*.csv"):
        with open(f, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                real[r["LAD11NM"]] += sum(float(r[str(y)]) for y in range(2011, 2022))
    synth = Counter(r["LSOA name"].rsplit(" ", 1)[0] for r in rows if r["LSOA name"])
    assert real.most_common(1)[0][0] in [b for b, _ in synth.most_common(3)]
    # Same seed, same files.
    again = synth_police.write(conn, tmp_path / "again", 6000, "2019-01", "2019-06", counts_dir=counts,
                               seed=3)
    assert again[2].read_bytes() == files[2].read_bytes()
    res = load_csv(conn, police_uk.SOURCE, files[0], LoadOptions(quiet=True, rejects_dir=tmp_path))
    assert res.rows_rejected == 0
    placed = conn.execute("SELECT count(*) FILTER (WHERE l.code IS NOT NULL AND l.code = "
                          "s.lsoa_code_reported), "
                          "count(*) FROM crime.street_crime s LEFT JOIN LATERAL (SELECT "
                          "safestats.lsoa_at(s.geom, 2011) "
                          "AS code) l ON true WHERE s.load_id = %s AND s.location_status = 'ok'",
                          (res.load_id,)).fetchone()
    assert placed[0] >= placed[1] * 0.98          # each point lies in the LSOA the row names
