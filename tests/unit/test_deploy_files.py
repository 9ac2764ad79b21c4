"""The deploy files say the same thing: the Procfile's roles, compose.yaml's services and the
Dockerfile's command run the same `earshot` commands, the image installs Earshot the README's
way and runs as a user, and both files pass their linters (hadolint; Docker Compose's own
`config`, which needs no container engine). No image is built here: there is no engine."""

from __future__ import annotations

import asyncio
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the test extras' hadolint and docker-compose live here


def procfile() -> dict[str, list[str]]:
    roles = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            role, _, command = line.partition(":")
            roles[role.strip()] = shlex.split(command)
    return roles


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            op, _, args = line.partition(" ")
            out.append((op.upper(), " ".join(args.split())))
    return out


def tool(name: str) -> str:
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (it comes with `pip install -e '.[test]'`)")
    return str(path)


def compose_config(tmp_path: Path) -> dict[str, Any]:
    """compose.yaml as Docker Compose resolves it (anchors, interpolation, .env)."""
    for name in ("compose.yaml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\nPORT=8080\n"
                                   "DATABASE_URL=sqlite+aiosqlite:///earshot.db\n")
    res = subprocess.run([tool("docker-compose"), "config", "--format", "json"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_procfile_keeps_the_roles_apart():
    assert procfile() == {
        "web": ["earshot", "serve", "--no-clock", "--no-worker"],
        "worker": ["earshot", "worker"],
        "clock": ["earshot", "clock"],
        "release": ["earshot", "migrate"],
    }


def test_compose_runs_the_procfiles_roles(tmp_path: Path):
    config = compose_config(tmp_path)
    services = config["services"]
    roles = procfile()
    for role in ("web", "worker", "clock"):
        assert services[role]["command"] == roles[role], role
    assert services["migrate"]["command"] == roles["release"]
    # Migrations once, before any role; the database healthy before migrations.
    for role in ("web", "worker", "clock"):
        assert services[role]["depends_on"] == {"migrate": {"condition": "service_completed_successfully",
                                                            "required": True}}
        assert services[role]["build"]["dockerfile"] == "Dockerfile"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    # PostgreSQL with a named volume; every Earshot service on it, whatever .env says.
    assert services["db"]["image"] == "postgres:15"
    assert services["db"]["volumes"] == [{"type": "volume", "source": "pgdata",
                                          "target": "/var/lib/postgresql/data", "volume": {}}]
    assert "pgdata" in config["volumes"]
    for role in ("migrate", "web", "worker", "clock"):
        env = services[role]["environment"]
        assert env["DATABASE_URL"] == "postgresql://earshot:earshot@db:5432/earshot", role
        assert env["PORT"] == "3000" and env["SLACK_BOT_TOKEN"] == "xoxb-1", role
    assert services["web"]["ports"][0]["target"] == 3000
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert all(services[r]["healthcheck"] == {"disable": True} for r in ("worker", "clock", "migrate"))


def test_the_image_installs_like_the_readme_and_runs_as_a_user():
    steps = dockerfile()
    ops = [op for op, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    [run] = [args for op, args in steps if op == "RUN"]
    assert run.startswith("pip install . ")  # the README's `pip install .`
    readme = (ROOT / "README.md").read_text()
    assert "pip install ." in readme
    [user] = [args for op, args in steps if op == "USER"]
    assert user.isdigit() and user != "0"
    assert ops.index("USER") < ops.index("CMD")
    cmd = json.loads(next(args for op, args in steps if op == "CMD"))
    assert cmd == ["earshot", "serve"]  # alone, one container is a whole Earshot
    health = next(args for op, args in steps if op == "HEALTHCHECK")
    assert "/healthz" in health and "urllib.request" in health and "curl" not in health
    expose = next(args for op, args in steps if op == "EXPOSE")
    env = " ".join(args for op, args in steps if op == "ENV")
    assert f"PORT={expose}" in env
    # The image gets what `pip install .` needs and nothing else (no .env, no database).
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignore[ignore.index("*") + 1:][:6] == ["!pyproject.toml", "!README.md", "!bot/", "!handlers/",
                                                 "!storage/", "**/__pycache__"]
    copied = [args.split()[0] for op, args in steps if op == "COPY"]
    assert copied == ["pyproject.toml", "bot", "handlers", "storage"]


def test_hadolint_passes():
    res = subprocess.run([tool("hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr


async def test_the_healthcheck_command_works(bot):
    """The Dockerfile's healthcheck, run against a running Earshot: 0 when healthy, 1 when not."""
    health = next(args for op, args in dockerfile() if op == "HEALTHCHECK")
    argv = json.loads(health[health.index("CMD ") + 4:])
    port = bot.base_url.rsplit(":", 1)[1]
    # In a thread: the bot answers on this test's event loop.
    ok = await asyncio.to_thread(subprocess.run, [sys.executable, *argv[1:]], env={"PORT": port}, timeout=30)
    assert ok.returncode == 0
    down = await asyncio.to_thread(subprocess.run, [sys.executable, *argv[1:]], env={"PORT": "1"},
                                   capture_output=True, timeout=30)
    assert down.returncode == 1
    assert yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["web"]["healthcheck"]["test"][1] == "python"
