"""How fast an idle `earshot serve` is healthy and how much memory it holds, against a
plain Bolt app on aiohttp started the same way, in the same run.

Each server starts as its own process on a migrated SQLite database; we time from spawn
to the first `GET /healthz` 200 (plain Bolt: the first answer on its port), then read its
resident memory (VmRSS) after two idle seconds. Heavy parts (scikit-learn, the word
vectors, matplotlib) load when first needed, so they are not in these figures.

    python bench/startup.py --runs 5
"""

from __future__ import annotations

import argparse
import os
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
    earshot, bolt = [], []
    for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
        port = free_port()
        earshot.append(start_and_measure(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env, f"http://127.0.0.1:{port}/healthz"))
        port = free_port()
        bolt.append(start_and_measure([sys.executable, bolt_file], {**env, "PORT": str(port)},
                                      f"http://127.0.0.1:{port}/slack/events"))
    for name, runs in (("earshot serve", earshot), ("plain Bolt", bolt)):
        t = [r[0] for r in runs]
        m = [r[1] for r in runs]
        print(f"{name:14s} healthy after {statistics.median(t):.2f} s (min {min(t):.2f}, max {max(t):.2f}); "
              f"idle RSS {statistics.median(m):.0f} MB (min {min(m):.0f}, max {max(m):.0f})")
    print(f"ratio earshot/plain Bolt: start {statistics.median([r[0] for r in earshot]) / statistics.median([r[0] for r in bolt]):.2f}x, "
          f"memory {statistics.median([r[1] for r in earshot]) / statistics.median([r[1] for r in bolt]):.2f}x "
          "(targets: healthy within 2 s, idle below 150 MB)")


if __name__ == "__main__":
    main()
