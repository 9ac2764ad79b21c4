"""The layout's rules that import-linter (run in CI) does not check: no private names
imported across modules, and storage stays free of the bot."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage")


def project_files() -> list[Path]:
    return [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]


def test_no_private_name_is_imported_from_another_module() -> None:
    offenders = []
    for path in project_files() + list((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                offenders += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                              for a in node.names if a.name.startswith("_")]
    assert offenders == []


def test_storage_never_imports_the_bot() -> None:
    offenders = []
    for path in (ROOT / "storage").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.split(".")[0] in ("bot", "handlers")]
    assert offenders == []


def test_no_module_of_the_bot_is_over_400_lines() -> None:
    # Small modules with names that say what they do; the Slack stand-in is test equipment
    # and migrations are generated, so they are not counted.
    long = [f"{p.relative_to(ROOT)} ({n})" for p in project_files()
            if "fakeslack" not in p.parts and "migrations" not in p.parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    assert long == []
