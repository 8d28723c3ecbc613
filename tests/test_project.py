"""The project's own promises: README's commands, CI running them, clean lint and types."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    return [line for block in blocks[:2] for line in block.splitlines() if not line.startswith("#")]


def test_ci_runs_readmes_test_command_verbatim() -> None:
    build, test = readme_commands()
    assert "pytest" in test and "statusdocs" in build
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test in ci.splitlines()


def test_ruff_is_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check"], ["format", "--check"]):
        done = subprocess.run([str(ruff), *args, "."], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout


def test_mypy_strict_is_clean_on_the_tests(tmp_path: Path) -> None:
    # mypy cannot follow the editable install's import hook from `statusdocs` to
    # generator/; a link named after the package shows it the same files.
    (tmp_path / "statusdocs").symlink_to(ROOT / "generator", target_is_directory=True)
    search = os.pathsep.join([str(tmp_path), str(ROOT / "benchmarks")])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--exclude",
            "tests/(fixtures|corpus)/",
            "tests",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": search},
    )
    assert done.returncode == 0, done.stdout
