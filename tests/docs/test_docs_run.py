"""The README's commands work verbatim on a clone: every `safestats ...` line of its ```sh blocks runs
on a demo-shaped database and exits 0. (```text blocks hold commands over your own files.)"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from safestats import config

# slow: a demo-shaped database, then every README command
pytestmark = pytest.mark.slow

README = config.REPO_ROOT / "README.md"
# Commands that manage the embedded cluster or the user's machine, not the database under test.
NOT_HERE = {("db", "down"), ("db", "up"), ("demo",), ("qgis-project",)}


def readme_commands() -> list[list[str]]:
    out = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if not words or words[0] not in ("safestats", ".venv/bin/safestats"):
                continue
            args = words[1:]
            if any(tuple(args[:len(n)]) == n for n in NOT_HERE) or "FILE" in args:
                continue
            out.append(args)
    return out


COMMANDS = readme_commands()


def test_the_readme_has_commands_to_run():
    assert len(COMMANDS) >= 15, COMMANDS


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a)[:60] for a in COMMANDS])
def test_readme_command_runs(demo_db, run_cli, monkeypatch, tmp_path, args):
    monkeypatch.chdir(config.REPO_ROOT)
    # (a file a command writes to a relative path goes to the test's own folder, not into the checkout;
    # absolute paths stay, since a later README command may read them)
    args = [str(tmp_path / a) if i and args[i - 1] == "--out" and not Path(a).is_absolute() else a
            for i, a in enumerate(args)]
    try:
        code, out, err = run_cli(*args)
    except SystemExit as e:          # --help
        code, err = e.code, ""
    assert code == 0, f"safestats {' '.join(args)} exited {code}: {err}"
    assert "Traceback" not in err
