"""Every row accounted for: a load reports read = loaded + skipped + rejected, each skipped row with
a reason counted by kind, stored with the load (safestats.load.rows_skipped / skipped) and shown by
`safestats status`, where refused loads have a section of their own."""
from __future__ import annotations

import json

import pytest

from loaders.provenance import UNEXPLAINED, account_for_rows
from safestats import config

# slow: three gazetteer files (about a minute)
pytestmark = pytest.mark.slow

GAZ = config.SHIPPED_DATA_DIR / "gazetteer"
# The three files of the issue (shipped copies; the shared folder holds the same kinds, larger).
FILES = {
    "osm_street_centres_se_london_2025.csv.gz": "highway=footway: not a street people name as a place",
    "tfl_bus_stops.csv.gz": "virtual stop (a timing point, not a place)",
    "fsa_fhrs_london_2020-07.csv.gz": "no coordinates",
}


def test_the_three_files_load_with_every_skipped_row_explained(run_cli, conn, tmp_path):
    code, out, err = run_cli("load", "gazetteer", *(GAZ / f for f in FILES), "--no-rebuild", "--quiet",
                             "--rejects-dir", tmp_path)
    assert code == 0, err
    for name, reason in FILES.items():
        row = conn.execute(
            "SELECT rows_read, rows_loaded, rows_skipped, rows_rejected, skipped FROM safestats.load "
            "WHERE file_name = %s AND status = 'loaded' ORDER BY load_id DESC LIMIT 1", (name,)).fetchone()
        read, loaded, skipped, rejected, why = row
        assert read == loaded + skipped + rejected, (name, row)
        assert skipped > 0 and sum(why.values()) == skipped, (name, why)
        assert UNEXPLAINED not in why, f"{name}: rows skipped without a reason: {why}"
        assert why.get(reason, 0) > 0, (name, why)
        # the command's own report says the same
        assert f"{why[reason]:,} skipped: {reason}" in out + err
    # status: each source's last successful load with its reasons
    code, out, err = run_cli("status", "--section", "last successful", "--format", "json")
    assert code == 0, err
    shown = {r["file_name"]: r for r in json.loads(out)["last_successful_load_of_each_source"]}
    fsa = shown["fsa_fhrs_london_2020-07.csv.gz"]
    assert fsa["read"] == fsa["loaded"] + fsa["skipped"] + fsa["rejected"]
    assert "no coordinates" in fsa["skipped_why"]


def test_a_refusal_is_not_the_last_load_and_its_lines_stay_in_the_table(run_cli, tmp_path):
    bad = tmp_path / "wards.csv"
    bad.write_text("this,is,not\na,ward,lookup\n")
    code, out, err = run_cli("load", "ward-lookup", bad, "--quiet", "--rejects-dir", tmp_path)
    assert code == 1
    code, out, err = run_cli("status", "--section", "refused", "--section", "last successful")
    assert code == 0, err
    refused, last = out.split("Last successful load")
    assert "wards.csv" in refused and "refused" in refused
    assert "wards.csv" not in last
    # a multi-line refusal message is one table row: every line of the section is a header or a row
    body = [ln for ln in refused.splitlines()[2:] if ln.strip()]
    assert all(ln.startswith("  ") for ln in body) and len(body) >= 2


def test_rows_a_loader_drops_without_a_reason_are_still_counted():
    assert account_for_rows(100, 90, 2, {"no name": 3}) == {"no name": 3, UNEXPLAINED: 5}
    assert account_for_rows(100, 95, 2, {"no name": 3, "other": 0}) == {"no name": 3}
    # a wide file writes many values per row read: nothing to account for
    assert account_for_rows(10, 400, 0, None) == {}
