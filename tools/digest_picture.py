"""Draw a digest's Block Kit as Slack shows it, for the README's picture.

    earshot demo --out /tmp/demo
    python tools/digest_picture.py /tmp/demo/digest-week-3.json docs/img/digest.png

It renders the blocks Earshot posted (header, sections with their buttons, dividers,
context) into a page styled after Slack's message view and photographs it with headless
Chromium (Debian's ``chromium``; fonts-lato and fonts-noto-color-emoji for Slack's look).
Only what the digest uses is drawn; this is a picture, not a Block Kit renderer.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# The demo company's people (bot/demo/story.py), as Slack would name them.
PEOPLE = {"U0ALICE001": "Alice", "U0BOB00001": "Bob", "U0CARLA001": "Carla", "U0DAN00001": "Dan",
          "U0ERIN0001": "Erin"}
EMOJI = {"large_green_circle": "🟢", "red_circle": "🔴", "white_circle": "⚪", "wrench": "🔧",
         "trophy": "🏆", "chart_with_upwards_trend": "📈", "inbox_tray": "📥", "label": "🏷️",
         "bulb": "💡", "test_tube": "🧪", "small_red_triangle": "🔺", "small_red_triangle_down": "🔻",
         "white_check_mark": "✅", "zzz": "💤", "warning": "⚠️", "arrow_up": "⬆️", "arrow_down": "⬇️"}

STYLE = """
body { font-family: Lato, 'Noto Color Emoji', sans-serif; font-size: 15px; color: #1d1c1d;
       background: #fff; margin: 0; padding: 20px 24px; width: 760px; line-height: 1.47; }
.msg { display: flex; gap: 10px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #1f3a5f; color: #fff;
          font-weight: 900; display: flex; align-items: center; justify-content: center; }
.name { font-weight: 900; } .app { font-size: 10px; background: #e8e8e8; color: #616061;
        padding: 1px 3px; border-radius: 2px; margin: 0 4px; } .time { color: #616061; font-size: 12px; }
h1 { font-size: 18px; font-weight: 900; margin: 6px 0 4px; }
.section { display: flex; justify-content: space-between; gap: 16px; margin: 6px 0; }
.btn { border: 1px solid #bbbabb; border-radius: 4px; padding: 3px 10px; font-weight: 700;
       font-size: 13px; white-space: nowrap; height: fit-content; }
hr { border: 0; border-top: 1px solid #dddddd; margin: 10px 0; }
code { font-family: Monaco, Menlo, monospace; font-size: 12px; color: #e01e5a;
       background: #f6f6f6; border: 1px solid #e8e8e8; border-radius: 3px; padding: 0 2px; }
blockquote { border-left: 4px solid #dddddd; margin: 2px 0; padding-left: 10px; }
a { color: #1264a3; text-decoration: none; } .mention { color: #1264a3; background: #e8f5fa; }
.context { color: #616061; font-size: 12px; margin-top: 6px; }
"""


def mrkdwn(text: str) -> str:
    """Slack's mrkdwn as HTML (the subset the digest writes)."""
    out = []
    for line in text.split("\n"):
        quote = line.startswith("> ")
        line = line[2:] if quote else line
        line = html.escape(line, quote=False).replace("&amp;lt;", "&lt;").replace("&amp;gt;", "&gt;")
        line = re.sub(r"&lt;@(U[A-Z0-9]+)&gt;",
                      lambda m: f'<span class="mention">@{PEOPLE.get(m.group(1), m.group(1))}</span>', line)
        line = re.sub(r"&lt;(https?://[^|&]+)\|([^&]*)&gt;", r'<a href="\1">\2</a>', line)
        line = re.sub(r"`([^`]+)`", r"<code>\1</code>", line)
        line = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", line)
        line = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", line)
        line = re.sub(r":([a-z0-9_+-]+):", lambda m: EMOJI.get(m.group(1), m.group(0)), line)
        line = line.replace("      ", "&emsp;&emsp;")
        out.append(f"<blockquote>{line}</blockquote>" if quote else line + "<br>")
    return "".join(out)


def page(blocks: list[dict]) -> str:
    body = []
    for b in blocks:
        kind = b.get("type")
        if kind == "header":
            body.append(f"<h1>{html.escape(b['text']['text'])}</h1>")
        elif kind == "divider":
            body.append("<hr>")
        elif kind == "section":
            button = b.get("accessory") or {}
            label = (button.get("text") or {}).get("text")
            side = f'<span class="btn">{html.escape(label)}</span>' if label else ""
            body.append(f'<div class="section"><div>{mrkdwn(b["text"]["text"])}</div>{side}</div>')
        elif kind == "context":
            body.append('<div class="context">' + " ".join(mrkdwn(e.get("text", "")) for e in b["elements"])
                        + "</div>")
    return (f"<!doctype html><meta charset='utf-8'><style>{STYLE}</style>"
            "<div class='msg'><div class='avatar'>E</div><div>"
            "<span class='name'>Earshot</span><span class='app'>APP</span>"
            "<span class='time'>9:00 AM</span>" + "".join(body) + "</div></div>")


def main(src: str, png: str) -> None:
    blocks = json.loads(Path(src).read_text(encoding="utf-8"))["blocks"]
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "digest.html"
        doc.write_text(page(blocks), encoding="utf-8")
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             f"--user-data-dir={tmp}/profile", "--window-size=810,1500",
             f"--screenshot={Path(png).resolve()}", doc.as_uri()],
            check=True, capture_output=True, timeout=60)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/digest_picture.py DIGEST.json OUT.png")
    main(sys.argv[1], sys.argv[2])
