"""Build the real project once per hostile input and count what went wrong.

Each case copies the project (the five real sources), adds one bad file,
setting, name or template, and runs `statusdocs build` as a user would, in a
fresh process with a time limit.  It counts tracebacks, hangs, rows of the
five good sources lost, and files changed outside statusdocs' own output (a
folder beside the project and a deploy folder holding a CNAME are watched).

    .venv/bin/python benchmarks/hostile_sweep.py [--only WORD]
"""

from __future__ import annotations

import argparse
import codecs
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "kubernetes-api-conventions": 16,
    "kubernetes-api-conventions-blog-copy": 16,
    "api-guideline-status-codes": 23,
    "huaweicloud-iam-status-codes": 41,
    "huaweicloud-apig-status-codes": 18,
}
TABLE = "| Code | Name |\n|---|---|\n| 404 | Not Found |\n| 410 | Gone |\n| 500 | Oops |\n"
Case = Callable[[Path], list[str]]


def manifest(extra: str) -> Case:
    def apply(root: Path) -> list[str]:
        (root / "sources" / "extra.md").write_text(TABLE)
        with (root / "sources" / "manifest.toml").open("a") as stream:
            stream.write("\n" + extra + "\n")
        return []

    return apply


def source(name: str, data: bytes | str) -> Case:
    def apply(root: Path) -> list[str]:
        path = root / "sources" / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return []

    return apply


def setting(text: str) -> Case:
    def apply(root: Path) -> list[str]:
        (root / "pyproject.toml").write_text(text)
        return []

    return apply


def template(text: str) -> Case:
    def apply(root: Path) -> list[str]:
        (root / "mine").mkdir()
        (root / "mine" / "index.rst.jinja").write_text(text)
        (root / "pyproject.toml").write_text('[tool.statusdocs]\ntemplates = "mine"\n')
        return []

    return apply


def link(name: str, target: str) -> Case:
    def apply(root: Path) -> list[str]:
        (root / "sources" / name).symlink_to(target)
        return []

    return apply


def deploy_with_cname(root: Path) -> list[str]:
    deploy = root.parent / "deploy"
    deploy.mkdir()
    (deploy / "CNAME").write_text("status.example.org\n")
    return ["--out", str(deploy)]


def build_dir_is_a_file(root: Path) -> list[str]:
    (root / "site" / "_build").write_text("not a folder")
    return []


def fifo(root: Path) -> list[str]:
    os.mkfifo(root / "sources" / "pipe.md")
    return []


DEEP = "<table><tr><th>Code</th></tr><tr><td>200</td></tr><tr><td>" + "<div>" * 100_000
CASES: dict[str, Case] = {
    "manifest id upper case": manifest('[[source]]\nfile = "extra.md"\nid = "Extra"'),
    "manifest id with space": manifest('[[source]]\nfile = "extra.md"\nid = "my source"'),
    "manifest id with dot": manifest('[[source]]\nfile = "extra.md"\nid = "v1.2"'),
    "manifest id leading dash": manifest('[[source]]\nfile = "extra.md"\nid = "-x"'),
    "manifest id non-ASCII": manifest('[[source]]\nfile = "extra.md"\nid = "状态码"'),
    "manifest id template": manifest('[[source]]\nfile = "extra.md"\nid = "{{ 7*7 }}"'),
    "manifest id index": manifest('[[source]]\nfile = "extra.md"\nid = "index"'),
    "manifest id genindex": manifest('[[source]]\nfile = "extra.md"\nid = "genindex"'),
    "manifest id row hijack": manifest(
        '[[source]]\nfile = "extra.md"\nid = "huaweicloud-iam-status-codes-line-58"'
    ),
    "manifest source number": source("manifest.toml", "source = 5\n"),
    "manifest nested arrays": source("manifest.toml", "source = " + "[" * 50_000 + "]" * 50_000),
    "manifest file NUL": manifest('[[source]]\nfile = "a\\u0000b.md"'),
    "manifest file absolute": manifest('[[source]]\nfile = "/etc/passwd"'),
    "manifest file traversal": manifest('[[source]]\nfile = "../../../../etc/passwd"'),
    "tool not a table": setting("tool = 5\n"),
    "tool.statusdocs not a table": setting('[tool]\nstatusdocs = "x"\n'),
    "UTF-16 odd bytes": source("odd.md", codecs.BOM_UTF16_LE + TABLE.encode("utf-16-le") + b"x"),
    "UTF-16 lone surrogate": source(
        "surrogate.md", codecs.BOM_UTF16_LE + TABLE.encode("utf-16-le") + b"\x00\xd8"
    ),
    "build folder not writable": build_dir_is_a_file,
    "deep HTML nesting": source("deep.html", DEEP),
    "template division by zero": template("{{ 1/0 }}\n"),
    "template recursion": template("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n"),
    "template extends itself": template('{% extends "index.rst.jinja" %}\n'),
    "template unsafe label": template('{{ "a b"|label }}\n'),
    "out into a folder with CNAME": deploy_with_cname,
    "table on one line": source(
        "oneline.html",
        "<table><tr><th>Code</th><th>Name</th></tr><tr><td>200</td><td>OK</td></tr>"
        "<tr><td>404</td><td>Not Found</td></tr><tr><td>500</td><td>Error</td></tr></table>",
    ),
    "link to /etc/passwd": link("users.txt", "/etc/passwd"),
    "dangling link": link("gone.md", "nowhere.md"),
    "link loop": link("loop.md", "loop.md"),
    "FIFO": fifo,
    "hidden names": source("_draft.md", TABLE),
    "CJK title": source("状态码.md", "# 状态码说明\n\n## 成功 🎉\n\n" + TABLE),
    "zero-width title": source("zw.md", "# \u200b\u200d\n\n" + TABLE),
    "ANSI and newline in a file name": source("evil\x1b[2J\nx.md:1: error: forged.md", TABLE),
    "form feed and U+2028 in RST": source(
        "ff.rst",
        "Codes\n=====\n\n\f\n\u2028\n\n+------+------+\n| Code | Name |\n+======+======+\n"
        "| 200  | OK   |\n+------+------+\n",
    ),
}


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def run(name: str, case: Case, base: Path) -> dict[str, object]:
    """One case in a fresh copy of the project; what went wrong."""
    work = base / re.sub(r"\W+", "-", name)
    root = work / "project"
    for part in ("templates", "sources"):
        shutil.copytree(ROOT / part, root / part)
    (root / "site").mkdir()
    shutil.copy(ROOT / "site" / "conf.py", root / "site" / "conf.py")
    beside = work / "beside"
    beside.mkdir()
    (beside / "keep.txt").write_text("the user's file\n")
    argv = case(root)
    watched = {"beside": snapshot(beside), "deploy": snapshot(work / "deploy")}
    command = [sys.executable, "-m", "statusdocs", "build", "--project", str(root), *argv]
    clock = time.perf_counter()
    try:
        # The checkout this script is in, whatever statusdocs the environment has installed.
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
        output, status, hung = done.stderr + done.stdout, done.returncode, False
    except subprocess.TimeoutExpired:
        output, status, hung = "", None, True
    found = {sid: int(n) for n, sid in re.findall(r": (\d+) entries \[([a-z0-9-]+)\]", output)}
    # A build that stopped on bad usage (exit 2) or a failure read nothing to lose.
    built = status in (0, 1) and bool(found)
    lost = sum(max(0, want - found.get(sid, 0)) for sid, want in GOOD.items())
    now = {"beside": snapshot(beside), "deploy": snapshot(work / "deploy")}
    changed = sum(now[key] != before for key, before in watched.items())
    return {
        "case": name,
        "exit": status,
        "seconds": round(time.perf_counter() - clock, 1),
        "traceback": "Traceback" in output,
        "hang": hung,
        "rows lost": lost if built else "n/a",
        "outside changed": changed,
        "first line": _first_problem(output)[:110],
    }


def _first_problem(output: str) -> str:
    """The first diagnostic or error line (the line a user reads first), else the first line."""
    lines = [line for line in output.splitlines() if line.strip()]
    flagged = [ln for ln in lines if re.search(r"error|warning|failed|refused", ln)]
    return (flagged or lines or [""])[0]


def main(argv: list[str] | None = None) -> int:
    """Run every case and print one row each, then the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only cases whose name contains this")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            run(name, case, Path(folder))
            for name, case in CASES.items()
            if not args.only or args.only in name
        ]
    print("| case | exit | s | traceback | hang | rows lost | outside changed | first line |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        shown = str(row["first line"]).encode("unicode_escape").decode().replace("|", "\\|")
        print(
            f"| {row['case']} | {row['exit']} | {row['seconds']} | {row['traceback']} | "
            f"{row['hang']} | {row['rows lost']} | {row['outside changed']} | {shown} |"
        )
    print(
        f"\n{len(rows)} inputs: tracebacks {sum(bool(r['traceback']) for r in rows)}, "
        f"hangs {sum(bool(r['hang']) for r in rows)}, "
        f"rows lost {sum(r['rows lost'] for r in rows if isinstance(r['rows lost'], int))}, "
        f"files outside changed {sum(int(r['outside changed']) for r in rows)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
