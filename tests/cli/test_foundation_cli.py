"""The command line: --help everywhere, load/reference/status through the CLI, clear errors."""
from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from safestats.cli import build_parser, main


def _all_command_paths(parser: argparse.ArgumentParser, prefix=()):
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_command_paths(sub, prefix + (name,))


def test_every_command_has_help(capsys):
    paths = list(_all_command_paths(build_parser()))
    assert ("db", "up") in paths and ("load", "boundaries") in paths and ("migrate",) in paths
    for path in paths:
        with pytest.raises(SystemExit) as e:
            main([*path, "--help"])
        assert e.value.code == 0
        out = capsys.readouterr().out
        assert "usage: safestats" in out, path


def test_console_script_is_installed():
    r = subprocess.run([sys.executable, "-m", "safestats.cli", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("safestats ")


def test_load_boundaries_through_the_cli(run_cli, shared_data, tmp_path):
    args = ("load", "boundaries", str(shared_data / "boundaries" / "london_wards_2018.gpkg"),
            "--level", "ward", "--vintage", "2018", "--layer", "london_ward", "--rejects-dir", str(tmp_path))
    code, out, err = run_cli(*args)
    assert code == 0 and "loaded — 657 read, 657 loaded, 0 rejected" in out
    code, out, err = run_cli(*args)
    assert code == 0 and "unchanged" in out


def test_missing_file_and_bad_file_exit_nonzero_with_a_message(run_cli, tmp_path):
    code, out, err = run_cli("load", "ward-lookup", str(tmp_path / "nope-*.csv"))
    assert code == 2 and "no such file" in err
    bad = tmp_path / "lookup.csv"
    bad.write_text("a,b\n1,2\n")
    code, out, err = run_cli("load", "ward-lookup", str(bad), "--quiet", "--rejects-dir", str(tmp_path))
    assert code == 1
    assert "lookup.csv: line 1: the header does not fit source 'ward-lookup'" in err
    assert "Fix the file(s)" in err


def test_status_lists_geography_and_loads(run_cli):
    code, out, err = run_cli("status")
    assert code == 0
    assert "Reference geography" in out and "ward     2022" in out and "boundaries" in out


def test_unreachable_database_says_what_to_do(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@/nodb?host=/nonexistent&port=1")
    assert main(["status"]) == 1          # could not do it (exit code 2 is for a wrong command line)
    err = capsys.readouterr().err
    assert "Cannot connect to the SafeStats database" in err and "DATABASE_URL" in err


def test_plain_postgresql_url_maps_to_psycopg3():
    from safestats.config import sqlalchemy_url
    assert sqlalchemy_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert sqlalchemy_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    from sqlalchemy import create_engine
    assert create_engine(sqlalchemy_url("postgresql://u@h/db")).dialect.driver == "psycopg"
