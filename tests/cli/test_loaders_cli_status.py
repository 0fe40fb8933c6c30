"""The loaders through the command line: globs, exit codes, `safestats status` coverage and gaps, synth."""
from __future__ import annotations


def test_load_globs_status_shows_coverage_and_the_missing_month(run_cli, shared_data, tmp_path):
    d = shared_data / "police_uk" / "city-of-london"
    # May and July 2023, not June: June is the gap status must show.
    code, out, err = run_cli("load", "police-uk", str(d / "2023-0[57]-*-street.csv"), "--quiet",
                             "--rejects-dir", tmp_path)
    assert code == 0, err
    code, out, err = run_cli("status")
    assert code == 0, err
    gaps = out.split("Gaps: months missing")[1].split("\n\n")[0]
    assert "police.uk crime: City of London Police" in gaps and "2023-06" in gaps
    cover = out.split("Source coverage by year")[1].split("\n\n")[0]
    line = next(ln for ln in cover.splitlines() if "City of London Police" in ln)
    assert line.split()[-3:-1] == ["2023", "2"]          # year 2023: 2 months with records
    # Loading June closes the gap.
    run_cli("load", "police-uk", str(d / "2023-06-*-street.csv"), "--quiet", "--rejects-dir", tmp_path)
    code, out, _ = run_cli("status")
    assert "2023-06" not in out.split("Gaps: months missing")[1].split("\n\n")[0]


def test_a_refused_file_does_not_stop_the_others_and_exit_code_says_so(run_cli, shared_data, tmp_path):
    bad = tmp_path / "2019-01-x-street.csv"
    bad.write_text("not,the,header\n1,2,3\n", encoding="utf-8")
    good = shared_data / "police_uk" / "city-of-london" / "2024-01-city-of-london-street.csv"
    code, out, err = run_cli("load", "police-uk", bad, good, "--rejects-dir", tmp_path)
    assert code == 1
    assert "REFUSED" in err and str(bad) in err and "Crime ID" in err
    assert "2024-01-city-of-london-street.csv: loaded" in out
    code, out, err = run_cli("load", "police-uk", tmp_path / "nothing-*.csv")
    assert code == 2 and "no such file" in err


def test_synth_istv_cli_writes_loadable_extracts(run_cli, tmp_path):
    code, out, err = run_cli("synth", "istv", "--rows", "120", "--out", tmp_path / "x")
    assert code == 0, err
    files = out.split()
    assert len(files) == 6
    code, out, err = run_cli("load", "istv", *files, "--quiet", "--rejects-dir", tmp_path)
    assert code == 0, err
    code, out, _ = run_cli("status")
    assert "A&E assault extracts" in out and "RJ701" in out
