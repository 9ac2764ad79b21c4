"""The few HTML pages Earshot serves (Add to Slack and its outcome): one shell, one small
stylesheet inline, no outside asset, and headers that let the page do nothing else.

Every value that reaches a page goes through ``esc`` (html.escape, quotes included). The
stylesheet is allowed by its hash in the Content-Security-Policy, so no other inline style or
any script can run, even if escaping were ever missed. Pages carrying a fresh OAuth state or a
code are never cached and send no Referer (the redirect page's URL holds the code).
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import TypeVar

from aiohttp import web

R = TypeVar("R", bound=web.StreamResponse)

CSS = """
:root{--ink:#1d1c1d;--muted:#5e5d60;--line:#e3e1e4;--brand:#1f3a5f;--ok:#1a7f4b;--warn:#a35200;--bad:#b3261e}
*{box-sizing:border-box}
body{margin:0;background:#f6f5f4;color:var(--ink);font:16px/1.55 -apple-system,BlinkMacSystemFont,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:var(--brand);color:#fff;padding:18px 0}
header .in{display:flex;align-items:center;gap:12px}
.logo{width:34px;height:34px;border-radius:8px;background:#fff;color:var(--brand);font-weight:800;
display:flex;align-items:center;justify-content:center;font-size:20px}
header b{font-size:20px;letter-spacing:.2px}
.in{max-width:760px;margin:0 auto;padding:0 20px}
main .in{padding-top:28px;padding-bottom:40px}
h1{font-size:28px;line-height:1.25;margin:0 0 10px}
h2{font-size:18px;margin:0 0 10px}
p{margin:0 0 12px}
.lead{font-size:18px;color:var(--muted)}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin:18px 0}
.status{border-left:6px solid var(--brand)}
.status.ok{border-left-color:var(--ok)}.status.warn{border-left-color:var(--warn)}
.status.bad{border-left-color:var(--bad)}
table{width:100%;border-collapse:collapse}
td{padding:8px 0;border-top:1px solid var(--line);vertical-align:top}
tr:first-child td{border-top:0}
td.scope{width:190px;padding-right:14px}
code{font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1eff2;
border-radius:4px;padding:1px 5px}
ul,ol{margin:0;padding-left:22px}li{margin:4px 0}
.cta{display:flex;flex-wrap:wrap;align-items:center;gap:14px;margin:22px 0 6px}
a.button{display:inline-flex;align-items:center;gap:10px;background:#4a154b;color:#fff;
text-decoration:none;font-weight:700;border-radius:6px;padding:12px 20px;font-size:17px}
a.button:hover,a.button:focus{background:#611f69}
a.button.plain{background:#fff;color:var(--brand);border:1px solid var(--line)}
.hash{font-size:22px;line-height:1}
.small{font-size:14px;color:var(--muted)}
a{color:#1264a3}
footer{color:var(--muted);font-size:13px;padding:0 0 30px}
""".replace("\n", "")
STYLE_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
HEADERS = {
    "Content-Security-Policy": (f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; img-src data:; "
                                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def document(title: str, body: str) -> str:
    """A whole page: ``title`` is text (escaped here), ``body`` is HTML built with ``esc``."""
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            "<header><div class='in'><span class='logo' aria-hidden='true'>E</span><b>Earshot</b>"
            f"</div></header><main><div class='in'>{body}</div></main></body></html>")


def secure(resp: R) -> R:
    """Add the pages' security headers to a response (kept where the handler set its own)."""
    for name, value in HEADERS.items():
        resp.headers.setdefault(name, value)
    return resp
