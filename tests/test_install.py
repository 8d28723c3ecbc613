"""statusdocs as a new user gets it: a wheel in a new environment, `init`, `build`, `sphinx-build`.

The wheel is built from a copy of the repository and installed into a new
virtual environment far from it; the packages it depends on are lent from
the test environment (a `.pth` file), so nothing is downloaded.  The project
is made by `statusdocs init` and built both by `statusdocs build` and by the
command a Read the Docs configuration runs, with `-W`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{Path(command[0]).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


def _pages(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin/` folder of a fresh environment with the statusdocs wheel installed."""
    work = tmp_path_factory.mktemp("install")
    tracked = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    copy = work / "src"
    for name in tracked:
        if (ROOT / name).is_file() and not name.startswith("tests/"):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "-q")
    _run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", work / "dist", copy, cwd=work)
    (wheel,) = (work / "dist").glob("statusdocs-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    _run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=work)
    lent = Path(sysconfig.get_paths()["purelib"])
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "lent-dependencies.pth").write_text(f"{lent}\n", "utf-8")
    return venv / "bin"


def test_a_new_project_builds_from_the_wheel_with_statusdocs_and_with_sphinx_build(
    installed: Path, tmp_path: Path
) -> None:
    located = _run(
        installed / "python", "-c", "import statusdocs; print(statusdocs.__file__)", cwd=tmp_path
    )
    assert located.stdout.startswith(str(installed.parent / "lib"))  # not the repository's
    project = tmp_path / "docs"
    made = _run(installed / "statusdocs", "init", project, cwd=tmp_path)
    assert "created site/conf.py\n" in made.stdout

    built = _run(installed / "statusdocs", "build", cwd=project)
    assert "site written to" in built.stdout
    assert "5 codes from 1 source; 0 errors, 0 warnings" in built.stderr
    out = project / "site" / "_build" / "html"
    assert not out.is_symlink()
    pages = _pages(out)
    assert {"index.html", "codes/404.html", "codes/503.html", "sources/example.html"} <= set(pages)
    assert "Not Found" in (out / "codes" / "404.html").read_text("utf-8")

    # What Read the Docs runs, from its configuration's conf.py folder, warnings as errors.
    config = yaml.safe_load((project / ".readthedocs.yaml").read_text("utf-8"))
    confdir = (project / config["sphinx"]["configuration"]).parent
    assert config["sphinx"]["fail_on_warning"] is True
    rtd = tmp_path / "rtd"
    _run(
        installed / "python",
        "-m",
        "sphinx",
        "-T",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "-d",
        rtd / "doctrees",
        ".",
        rtd / "html",
        cwd=confdir,
    )
    assert _pages(rtd / "html") == pages

    # A deploy step copies the output as files.
    copied = tmp_path / "deployed"
    _run(Path("/bin/cp"), "-r", out, copied, cwd=tmp_path)
    assert _pages(copied) == pages
    index = (copied / "index.html").read_bytes()
    assert index == (out / "index.html").read_bytes()
