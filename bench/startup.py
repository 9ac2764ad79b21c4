"""How fast an idle `earshot serve` is healthy and how much memory it holds, against a
plain Bolt app on aiohttp started the same way, in the same run.

Each server starts as its own process on a migrated SQLite database; we time from spawn
to the first `GET /healthz` 200 (plain Bolt: the first answer on its port), then read its
resident memory (VmRSS) after two idle seconds. Heavy parts (scikit-learn, the word
vectors, matplotlib) load when first needed, so they are not in these figures.

Two starts are measured, interleaved with plain Bolt's:
* installed: Earshot's own modules have their bytecode compiled, as `pip install .` (a
  wheel) leaves them and as every start after the first does;
* cold: no bytecode for Earshot's modules and PYTHONDONTWRITEBYTECODE=1 (an editable
  checkout on a read-only or bytecode-less image), so every start compiles them.
Third-party packages are compiled by pip in both.

    python bench/startup.py --runs 5
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.ack_throughput import PLAIN_BOLT  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start_and_measure(cmd: list[str], env: dict[str, str], url: str) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status < 500:
                        break
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}")
            time.sleep(0.01)
        healthy = time.perf_counter() - started
        time.sleep(2)
        return healthy, rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def drop_bytecode() -> None:
    for package in ("bot", "handlers", "storage"):
        for folder, dirs, _ in os.walk(os.path.join(ROOT, package)):
            if "__pycache__" in dirs:
                shutil.rmtree(os.path.join(folder, "__pycache__"))
                dirs.remove("__pycache__")


def compile_bytecode() -> None:
    for package in ("bot", "handlers", "storage"):
        compileall.compile_dir(os.path.join(ROOT, package), quiet=1)


def report(name: str, runs: list[tuple[float, float]]) -> None:
    t = [r[0] for r in runs]
    m = [r[1] for r in runs]
    print(f"{name:22s} healthy after {statistics.median(t):.2f} s (min {min(t):.2f}, max {max(t):.2f}); "
          f"idle RSS {statistics.median(m):.0f} MB (min {min(m):.0f}, max {max(m):.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="earshot-startup-")
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "bench",
           "SLACK_API_URL": "http://127.0.0.1:9/api/", "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
           "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-m", "bot", "migrate"], env=env, check=True, cwd=tmp,
                   stdout=subprocess.DEVNULL)
    bolt_file = os.path.join(tmp, "plain_bolt.py")
    with open(bolt_file, "w") as f:
        f.write(PLAIN_BOLT)
    serve = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port"]
    installed, cold, bolt = [], [], []
    for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
        compile_bytecode()
        port = free_port()
        installed.append(start_and_measure(serve + [str(port)], env,
                                           f"http://127.0.0.1:{port}/healthz"))
        drop_bytecode()
        port = free_port()
        cold.append(start_and_measure(serve + [str(port)], {**env, "PYTHONDONTWRITEBYTECODE": "1"},
                                      f"http://127.0.0.1:{port}/healthz"))
        port = free_port()
        bolt.append(start_and_measure([sys.executable, bolt_file], {**env, "PORT": str(port)},
                                      f"http://127.0.0.1:{port}/slack/events"))
    compile_bytecode()
    report("earshot serve", installed)
    report("earshot serve (cold)", cold)
    report("plain Bolt", bolt)
    start = statistics.median(r[0] for r in installed)
    print(f"ratio earshot/plain Bolt: start {start / statistics.median(r[0] for r in bolt):.2f}x "
          f"(cold {statistics.median(r[0] for r in cold) / statistics.median(r[0] for r in bolt):.2f}x), "
          f"memory {statistics.median(r[1] for r in installed) / statistics.median(r[1] for r in bolt):.2f}x "
          "(targets: healthy within 2 s, idle below 150 MB)")

if __name__ == "__main__":
    main()
