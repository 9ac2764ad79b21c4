"""The aiohttp application: ``POST /slack/events`` (every kind of delivery) and ``/healthz``.

A request is refused before anything is stored if it is not signed by Slack (401, the
signature is checked over the raw bytes) or is not shaped like a Slack delivery (400,
with the reason: not UTF-8, not JSON, nested too deeply, wrong types, unstorable text). A delivery we cannot store gets a 503, so
Slack retries it; a 2xx means it is in the database.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import time
from collections.abc import Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from sqlalchemy import text

from bot.domain.loop import trackers
from bot.server import install_views
from bot.server.api import answers as api_answers
from bot.server.api import openapi, read_lists, read_remarks, remarks
from bot.server.intake import BadPayload, envelope, parse_body
from bot.server.pages import secure
from bot.server.runtime import Runtime
from storage.repositories import InboxRepository

log = logging.getLogger(__name__)

MAX_BODY = 2 * 1024 * 1024  # a 40,000-character message with blocks fits easily
STALE_AFTER = 60 * 5  # Slack's own replay window

RUNTIME = web.AppKey("runtime", Runtime)


def build_web_app(runtime: Runtime) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    app[RUNTIME] = runtime
    app.router.add_post("/slack/events", slack_events)
    app.router.add_post("/hooks/github", github_hook)
    app.router.add_post("/hooks/linear", linear_hook)
    remarks_resource = app.router.add_resource("/api/v1/remarks")
    remarks_resource.add_route("POST", api_remarks)
    remarks_resource.add_route("GET", api_read_remarks)
    remarks_resource.add_route("HEAD", api_read_remarks)
    _refuse_other_methods(remarks_resource, "GET, HEAD, POST")
    for name in read_lists.LISTS:
        _refuse_other_methods(app.router.add_get(f"/api/v1/{name}", api_read_list).resource, "GET, HEAD")
    _refuse_other_methods(app.router.add_get("/api/v1/openapi.json", api_openapi).resource, "GET, HEAD")
    app.router.add_route("*", "/api/{tail:.*}", api_not_found)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/slack/install", slack_install)
    app.router.add_get("/slack/oauth_redirect", slack_oauth_redirect)
    app.router.add_get("/", index)
    return app


def _refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"ok": False, "error": reason}, status=status)


def check_signature(secret: str, body: bytes, headers: Mapping[str, str]) -> str | None:
    """Why the request is not Slack's, or None if it is."""
    ts = headers.get("X-Slack-Request-Timestamp")
    sig = headers.get("X-Slack-Signature")
    if not ts or not sig:
        return "missing Slack signature headers"
    try:
        age = abs(time.time() - int(ts))
    except ValueError:
        return "malformed X-Slack-Request-Timestamp"
    if age > STALE_AFTER:
        return "stale request (timestamp older than 5 minutes)"
    if not signature_matches(secret, body, ts, sig):
        return "invalid signature"
    return None


def signature_matches(secret: str, body: bytes, ts: str, sig: str) -> bool:
    """Slack's v0 signature, computed over the raw bytes (whatever their encoding)."""
    base = b"v0:" + ts.encode("ascii", "replace") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), sig.encode("utf-8", "replace"))


async def slack_events(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    body = await request.read()
    secret = runtime.services.settings.slack_signing_secret.get_secret_value()
    why = check_signature(secret, body, request.headers)
    if why:
        log.info("web: refused unsigned request: %s", why)
        return _refuse(401, why)
    ctype = request.headers.get("Content-Type", "")
    try:
        env = envelope(parse_body(body, ctype))
        if env.kind == "event" and ctype.split(";")[0].strip().lower() == "application/json":
            env = dataclasses.replace(env, raw=body.decode("utf-8"))
    except BadPayload as e:
        log.info("web: refused malformed request: %s", e)
        return _refuse(400, str(e))
    except Exception as e:  # a shape the parser did not foresee is still the sender's fault
        log.warning("web: refused unparseable request (%s)", type(e).__name__, exc_info=True)
        return _refuse(400, f"not shaped like a Slack delivery ({type(e).__name__})")
    if env.kind == "url_verification":
        return web.json_response({"challenge": env.payload.get("challenge", "")})
    if env.kind in ("ssl_check", "ignored"):
        return web.Response(status=200)
    retry = request.headers.get("X-Slack-Retry-Num")
    if retry:
        log.info("web: Slack retry #%s of %s (%s)", retry, env.key,
                 request.headers.get("X-Slack-Retry-Reason", "?"))
    try:
        resp = await runtime.receive(env)
    except BadPayload as e:
        log.info("web: refused unstorable request team=%s: %s", env.team_id, e)
        return _refuse(400, str(e))
    except Exception:
        log.exception("web: could not store delivery team=%s key=%s", env.team_id, env.key)
        return _refuse(503, "could not store the delivery; please retry")
    headers = {k: v[0] for k, v in (resp.headers or {}).items() if v}
    headers.pop("content-length", None)
    return web.Response(status=resp.status if resp.status < 500 else 200, body=resp.body or b"",
                        headers=headers)


MAX_HOOK_BODY = 1024 * 1024


async def _hook(request: web.Request, kind: str) -> web.Response:
    """A tracker's webhook: ``?team=T``; verified with that workspace's secret for that service
    before anything else is said (trackers' module docstring); 4xx changes nothing."""
    runtime = request.app[RUNTIME]
    team_id = request.query.get("team", "")
    if not team_id:
        return _refuse(400, "missing ?team=<Slack team id>")
    if (request.content_length or 0) > MAX_HOOK_BODY:
        return _refuse(413, "body too large")
    body = await request.read()
    if len(body) > MAX_HOOK_BODY:
        return _refuse(413, "body too large")
    services = runtime.services
    try:
        if kind == "github":
            result = await trackers.github(services, team_id, body, request.headers)
        else:
            result = await trackers.linear(services, team_id, body, request.headers,
                                           now_ms=int(services.clock().timestamp() * 1000))
    except Exception:
        log.exception("web: %s hook team=%s failed", kind, team_id)
        return _refuse(503, "could not handle the delivery; please retry")
    if result.status >= 400:
        log.info("web: refused %s hook team=%s: %s", kind, team_id, result.message)
        return _refuse(result.status, result.message)
    return web.json_response({"ok": True, "result": result.message, "shipped": list(result.shipped)})


async def github_hook(request: web.Request) -> web.Response:
    return await _hook(request, "github")


async def linear_hook(request: web.Request) -> web.Response:
    return await _hook(request, "linear")


async def _oauth(request: web.Request, step: str) -> web.Response:
    """Bolt's OAuth flow (OAuth mode only); a database that fails mid-way gets a 503 page."""
    flow = request.app[RUNTIME].bolt.oauth_flow
    if flow is None:
        return secure(web.Response(status=404, text=install_views.single_workspace(), content_type="text/html"))
    try:
        req = await to_bolt_request(request)
        resp = await (flow.handle_installation(req) if step == "install" else flow.handle_callback(req))
    except Exception:
        log.exception("web: OAuth %s failed", step)
        page = install_views.not_installed(request.app[RUNTIME].services.settings, cancelled=False,
                                           reason="Earshot could not complete this step (its database "
                                                  "did not answer). Please try again in a moment.")
        return secure(web.Response(status=503, text=page, content_type="text/html"))
    return secure(await to_aiohttp_response(resp))


async def slack_install(request: web.Request) -> web.Response:
    return await _oauth(request, "install")


async def slack_oauth_redirect(request: web.Request) -> web.Response:
    return await _oauth(request, "callback")


async def api_remarks(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    return await remarks.post_remark(runtime.services, request, acceptor=runtime.api, filer=runtime.filer)


async def api_read_remarks(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    return await read_remarks.get_remarks(runtime.services, request, runtime.api.tokens)


async def api_read_list(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    name = request.path.rstrip("/").rpartition("/")[2]
    return await read_lists.get_list(runtime.services, request, name, runtime.api.tokens)


def _refuse_other_methods(resource: web.AbstractResource | None, allowed: str) -> None:
    """An API path's other methods get the API's JSON error (405 with ``Allow``), not
    aiohttp's plain-text page: a route for any method, tried after the path's own."""
    assert isinstance(resource, web.Resource)

    async def not_allowed(request: web.Request) -> web.Response:
        return api_answers.error(405, "method_not_allowed",
                                 f"{request.method} is not allowed here (allowed: {allowed})",
                                 headers={"Allow": allowed})

    resource.add_route("*", not_allowed)


async def api_not_found(request: web.Request) -> web.Response:
    """A path under /api that is no endpoint: the API's JSON error, not a plain-text page."""
    return api_answers.error(404, "not_found", f"{request.path} is not an endpoint of this API "
                                               "(see /api/v1/openapi.json)")


async def api_openapi(_request: web.Request) -> web.Response:
    return web.json_response(openapi.DOCUMENT)


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    try:
        async with runtime.services.sessions() as session:
            await session.execute(text("SELECT 1"))
            pending = await InboxRepository(session).pending_count()
    except Exception as e:
        log.warning("healthz: database unavailable: %s", type(e).__name__)
        return web.json_response({"ok": False, "database": "unavailable"}, status=503)
    return web.json_response({"ok": True, "database": "ok", "pending_deliveries": pending})


async def index(_request: web.Request) -> web.Response:
    return web.Response(text="Earshot is running. Slack sends its requests to /slack/events.\n")
