"""The command line for scripts: --format csv|json, exit codes 0/1/2, and user errors that end in a
message (naming near matches) rather than a traceback. Runs against a database holding the
Landscape demo data and the demo's two comparator runs (a neighbourhood run and a ward run)."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from safestats import db
from safestats.cli import build_parser, main

# slow: the Landscape demo data and two comparator builds for the module (about a minute)
pytestmark = pytest.mark.slow

SAFESTATS = [sys.executable, "-m", "safestats.cli"]


@pytest.fixture(scope="module")
def demo(db_url):
    from safestats.comparator import BuildParams, build
    from safestats.landscape import aggregate_to_neighbourhoods, load_demo_data
    with db.connect(db_url) as c:
        load_demo_data(c)
        aggregate_to_neighbourhoods(c, 2016)
        nb = build(c, BuildParams(level="neighbourhood", vintage=2016, label="demo"), quiet=True)["run_id"]
        ward = build(c, BuildParams(level="ward", vintage=2011, label="demo-ward"), quiet=True)["run_id"]
    return {"neighbourhood": nb, "ward": ward}


def _cli(db_url, *args, env=None):
    """safestats in a child process (what a script sees: exit code, stdout, stderr)."""
    e = {**os.environ, "DATABASE_URL": db_url, **(env or {})}
    return subprocess.run([*SAFESTATS, *map(str, args)], capture_output=True, text=True, env=e, timeout=300)


def test_status_json_and_csv(run_cli, demo):
    code, out, err = run_cli("status", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    geo = doc["reference_geography"]
    assert {"level": "ward", "vintage": 2022, "areas": 684, "approximate": 684} in geo
    code, out, err = run_cli("status", "--format", "csv", "--section", "REFERENCE geography")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.split("\n", 1)[1])))
    assert out.startswith("# Reference geography") and {"level", "vintage", "areas"} <= set(rows[0])
    assert any(r["level"] == "borough" for r in rows)


def test_unknown_status_section_names_near_ones(run_cli, demo):
    code, out, err = run_cli("status", "--section", "refrence geografy")
    assert code == 2 and "did you mean" in err and "reference geography" in err.lower()


def test_comparator_runs_similar_gaps_agreement_as_json(run_cli, demo):
    code, out, err = run_cli("comparator", "runs", "--format", "json")
    assert code == 0, err
    runs = {r["run_id"]: r for r in json.loads(out)}
    assert runs[demo["ward"]]["level"] == "ward" and runs[demo["neighbourhood"]]["level"] == "neighbourhood"

    # case-insensitive code; the ward run is there too
    code, out, err = run_cli("comparator", "similar", "kg-kb", "--format", "json")
    assert code == 0, err
    sim = json.loads(out)
    assert len(sim) == 15 and [r["rank"] for r in sim] == list(range(1, 16))
    code, out, err = run_cli("comparator", "similar", "E05000026", "--format", "csv")
    assert code == 0, err
    assert len(list(csv.DictReader(io.StringIO(out)))) == 15

    code, out, err = run_cli("comparator", "gaps", "PAS_Good_Job", "--run", demo["neighbourhood"],
                             "--top", 5, "--format", "json")
    assert code == 0, err
    gaps = json.loads(out)
    assert len(gaps) == 5 and all(isinstance(g["gap"], (int, float)) for g in gaps)

    code, out, err = run_cli("comparator", "agreement", "--run", demo["neighbourhood"], "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and 0 <= rows[0]["ari"] <= 1


def test_area_outside_the_run_names_the_runs_holding_it(run_cli, demo):
    code, out, err = run_cli("comparator", "similar", "E05000026", "--run", demo["neighbourhood"])
    assert code == 2, err
    assert "not in comparator run" in err and f"{demo['ward']} (ward 2011" in err
    assert "Traceback" not in err


def test_unknown_area_and_metric_suggest_near_matches(run_cli, demo):
    code, out, err = run_cli("comparator", "similar", "KG-KX")
    assert code == 2 and "unknown area" in err and "KG-K" in err and "Traceback" not in err
    code, out, err = run_cli("comparator", "gaps", "pas_good_jb", "--run", demo["neighbourhood"])
    assert code == 2 and "did you mean pas_good_job" in err and out == ""


def test_sql_api_errors_name_near_matches(conn, demo):
    import psycopg
    with pytest.raises(psycopg.errors.InvalidParameterValue) as e:
        conn.execute("SELECT * FROM safestats.comparator_gaps('pas_good_jb', %s)", (demo["neighbourhood"],))
    assert "pas_good_job" in (e.value.diag.message_hint or "")
    with pytest.raises(psycopg.errors.InvalidParameterValue) as e:
        conn.execute("SELECT * FROM safestats.similar_areas('E05000026', %s)", (demo["neighbourhood"],))
    assert "Runs holding it" in (e.value.diag.message_hint or "")
    with pytest.raises(psycopg.errors.InvalidParameterValue) as e:
        conn.execute("SELECT * FROM safestats.indicator_values('wp_crime_rat')")
    assert "unknown indicator" in str(e.value)
    # a name works as well as a code
    n = conn.execute("SELECT count(*) FROM safestats.similar_areas('kg-kb')").fetchone()[0]
    assert n == 15


def test_landscape_list_theme_in_any_case(run_cli, demo):
    code, out, err = run_cli("landscape", "list", "--format", "json")
    assert code == 0, err
    themes = {r["theme"] for r in json.loads(out)}
    theme = sorted(themes)[0]
    code, out, err = run_cli("landscape", "list", "--theme", theme.upper(), "--format", "json")
    assert code == 0, err
    assert {r["theme"] for r in json.loads(out)} == {theme}
    code, out, err = run_cli("landscape", "list", "--theme", theme[:-1] + "x")
    assert code == 2 and "did you mean" in err and theme in err


def test_geocode_role_audit_print_json(run_cli, demo):
    code, out, err = run_cli("geocode", "--text", "not known", "--format", "json")
    assert code == 0, err
    answer = json.loads(out)[0]
    assert answer["rank"] == 1 and answer["level"] == "none" and {"x", "y", "lon", "lat"} <= set(answer)
    code, out, err = run_cli("role", "list", "--format", "json")
    assert code == 0 and isinstance(json.loads(out), list), err
    code, out, err = run_cli("audit", "--format", "json")
    assert code == 0, err
    assert set(json.loads(out)) == {"access_log", "pgaudit"}


def test_command_names_in_any_case_and_did_you_mean(run_cli, demo, capsys):
    code, out, err = run_cli("STATUS", "--section", "reference")
    assert code == 0 and "Reference geography" in out
    with pytest.raises(SystemExit) as e:
        main(["comparater", "runs"])
    assert e.value.code == 2 and "did you mean comparator" in capsys.readouterr().err


def test_bad_database_url_and_closed_pipe_end_without_traceback(db_url, demo):
    r = _cli(db_url, "status", env={"DATABASE_URL": "not-a-url"})
    assert r.returncode == 2 and "is not a PostgreSQL connection URL" in r.stderr
    assert "Traceback" not in r.stderr
    # the reader goes away before anything is written (`safestats ... | head` that stops early)
    p = subprocess.Popen([*SAFESTATS, "comparator", "similar", "KG-KB"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "DATABASE_URL": db_url})
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_refused_load_exits_1_and_usage_exits_2(run_cli, demo, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,useful\n1,2\n")
    code, out, err = run_cli("load", "ward-lookup", bad, "--quiet", "--rejects-dir", tmp_path)
    assert code == 1 and "Traceback" not in err
    code, out, err = run_cli("load", "ward-lookup", tmp_path / "missing.csv")
    assert code == 2 and "no such file" in err
    # a folder is named as one, with what to type instead (it used to end in a traceback)
    code, out, err = run_cli("load", "gazetteer", tmp_path)
    assert code == 2 and "is a folder" in err and f"{tmp_path}/*" in err and "Traceback" not in err


def _actions(parser, path=()):
    import argparse
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            for name, sub in a.choices.items():
                yield from _actions(sub, (*path, name))
        elif not isinstance(a, (argparse._HelpAction, argparse._VersionAction)):
            yield path, a


def test_every_option_has_help_and_exit_codes_are_documented():
    parser = build_parser()
    missing = [f"safestats {' '.join(p)} {'/'.join(a.option_strings) or a.dest}"
               for p, a in _actions(parser) if not (a.help or "").strip()]
    assert not missing, "options without help:\n" + "\n".join(missing)
    assert "exit codes" in parser.format_help() and "2  usage" in parser.format_help()
