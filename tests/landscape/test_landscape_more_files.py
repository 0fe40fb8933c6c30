"""Every file of the shared landscape_more/ folder (and the MPS 2022-ward file of datastore/) loads by
its own layout and reloads without change; the ambulance file (licence unverified) and a file whose
header does not fit are refused with the reason."""

from __future__ import annotations

import gzip

import pytest

from loaders import landscape_more as lm
from loaders.core import LoadOptions, LoadRefused
from safestats import db

pytestmark = pytest.mark.slow

FILES = sorted(lm.LAYOUTS)


def _path(shared, name):
    p = shared / "landscape_more" / name
    return p if p.exists() else shared / "datastore" / name


def _fingerprint(conn, codes):
    return conn.execute(
        "SELECT count(*), round(sum(value)::numeric, 4) FROM landscape.indicator_value "
        "WHERE indicator_code = ANY(%s) AND method = 'published'",
        (codes,),
    ).fetchone()


@pytest.fixture(scope="module")
def dbc(db_url):
    with db.connect(db_url) as conn:
        yield conn


@pytest.mark.parametrize("name", FILES)
def test_file_loads_and_reloads_without_change(dbc, shared_data, tmp_path, name):
    path = _path(shared_data, name)
    out = lm.read_file(path)
    opts = LoadOptions(
        quiet=True,
        rejects_dir=tmp_path,
        extra={"no_move": name != "travel_to_work_bicycle_census_2001_2011_ward.csv"},
    )
    first = lm.SOURCE.load(dbc, path, opts)
    assert first.status == "loaded" and first.rows_rejected == 0
    assert first.rows_loaded == len(out.rows)
    codes = sorted({r[0] for r in out.rows}) or sorted(out.inds)
    before = _fingerprint(dbc, codes)
    again = lm.SOURCE.load(dbc, path, opts)
    assert again.status == "unchanged"
    forced = lm.SOURCE.load(
        dbc, path, LoadOptions(quiet=True, rejects_dir=tmp_path, force=True, extra=opts.extra)
    )
    assert forced.status == "loaded" and _fingerprint(dbc, codes) == before
    if out.rows:
        # every catalogued indicator of the file has a theme, licence and attribution
        bad = dbc.execute(
            "SELECT indicator_code FROM landscape.indicator WHERE indicator_code = ANY(%s) "
            "AND (theme = '' OR licence = '' OR attribution IS NULL)",
            (codes,),
        ).fetchall()
        assert bad == []
    else:  # the atlas metadata: descriptions only
        assert name == "london_borough_atlas_metadata.csv"


def test_the_ambulance_file_is_refused_for_its_licence(shared_data):
    path = shared_data / "landscape_more" / "las_ambulance_incidents_borough_monthly_2009_2015.csv.gz"
    with pytest.raises(LoadRefused, match="licence is marked unverified"):
        lm.read_file(path)


def test_a_file_whose_header_does_not_fit_is_refused(tmp_path):
    bad = tmp_path / "imd2025_lsoa21_london.csv.gz"
    bad.write_bytes(gzip.compress(b"lsoa_code,score\nE01000001,3\n"))
    with pytest.raises(LoadRefused, match="missing column\\(s\\): lsoa21_code, IMD_score"):
        lm.read_file(bad)
    with pytest.raises(LoadRefused, match="not a file this source knows"):
        lm.read_file(tmp_path / "something_else.csv")


def test_moved_cycling_counts_reach_2022_wards(dbc, shared_data, tmp_path):
    lm.SOURCE.load(
        dbc,
        _path(shared_data, "travel_to_work_bicycle_census_2001_2011_ward.csv"),
        LoadOptions(quiet=True, rejects_dir=tmp_path),
    )
    n, methods = dbc.execute(
        "SELECT count(*), array_agg(DISTINCT method) FROM landscape.indicator_value "
        "WHERE indicator_code = 'census_cycle_to_work' AND level = 'ward' "
        "AND vintage = 2022"
    ).fetchone()
    assert n > 1000 and methods == ["area-weighted from ward 2011 (apportioned count)"]
