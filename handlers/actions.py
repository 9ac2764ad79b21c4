"""One-click corrections from a confirmation: process, sentiment, customer, undo.

Each change records who made it and when, overrides the automatic decision, teaches the
classifier, and replaces the confirmation in place through the action's response_url. Each
control names its remark by id and fingerprint; the domain refuses a stale one (the remark
was withdrawn) and the person is told so privately, with nothing changed.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.domain.filing import duplicates
from bot.domain.filing.corrections import (
    STALE,
    Corrected,
    StaleControl,
    UnknownProcess,
    correct_customer,
    correct_process,
    correct_sentiment,
    undo_capture,
)
from bot.domain.workspace import replies
from bot.slack import blocks, modals
from bot.slack.limits import CUSTOMER_NAME
from bot.slack.mrkdwn import md
from bot.slack.text import escape
from handlers.common import services_of
from handlers.home import publish_home
from storage.repositories import ProcessRepository, RemarkRepository

log = logging.getLogger(__name__)

GONE = (":wastebasket: This remark is no longer in Earshot (its message was deleted, or every "
        "capture was withdrawn), so there is nothing to correct.")
CUSTOMER_VIEW = "remark_customer_modal"


async def _gone(respond: AsyncRespond | Any) -> None:
    """Replace the confirmation: its remark is no longer stored."""
    await respond(replace_original=True, **blocks.notice(GONE))


async def _stale(respond: AsyncRespond | Any, body: dict[str, Any], client: AsyncWebClient,
                 context: AsyncBoltContext) -> None:
    """A control drawn for a remark that is gone: said privately where it was clicked (the
    App Home is published again, without it), nothing changed."""
    if _from_home(body):
        await publish_home(services_of(context), client, context.team_id or "", body["user"]["id"],
                           note=STALE.replace("confirmation", "list"))
        return
    await respond(replace_original=True, **blocks.notice(STALE))


def _from_home(body: dict[str, Any]) -> bool:
    return (body.get("container") or {}).get("type") == "view" and (body.get("view") or {}).get("type") == "home"


async def _rerender(respond: Any, result: Corrected | None, *, note: str,
                    body: dict[str, Any] | None = None, client: AsyncWebClient | None = None,
                    context: AsyncBoltContext | None = None) -> None:
    """Show the correction where it was made: App Home re-published, or the confirmation
    replaced in place."""
    if body is not None and client is not None and context is not None and _from_home(body):
        await publish_home(services_of(context), client, context.team_id or "", body["user"]["id"])
        return
    if result is None:
        await _gone(respond)
        return
    message = blocks.capture_confirmation(result.remark, result.process_name,
                                          headline=md(":pencil2: *{}*", note))
    await respond(replace_original=True, **message)


async def on_process_options(ack: AsyncAck, payload: dict[str, Any], context: AsyncBoltContext) -> None:
    """The confirmation's process menu, opened: the workspace's current processes."""
    async with services_of(context).sessions() as session:
        processes = await ProcessRepository(session).list(context.team_id or "")
    typed = payload.get("value")
    query = typed if isinstance(typed, str) else ""
    await ack(options=blocks.process_suggestions(processes, query))


async def on_process(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                     respond: AsyncRespond, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    await ack()
    ref = blocks.remark_of_action(action)
    chosen = (action.get("selected_option") or {}).get("value")
    if ref is None or not isinstance(chosen, str) or not (chosen == blocks.UNFILED or chosen.isdigit()):
        await _stale(respond, body, client, context)  # not a control Earshot drew
        return
    process_id = None if chosen == blocks.UNFILED else int(chosen)
    try:
        result = await correct_process(services_of(context), team_id=context.team_id or "",
                                       remark_id=ref[0], drawn_for=ref[1], process_id=process_id,
                                       by=body["user"]["id"])
    except StaleControl:
        await _stale(respond, body, client, context)
        return
    except UnknownProcess:
        if _from_home(body):
            return
        await respond(replace_original=False, response_type="ephemeral", **blocks.notice(
            ":warning: That process was archived or removed meanwhile; pick another one."))
        return
    note = f"Filed under {result.process_name}" if result and result.process_name else "Marked as unfiled"
    await _rerender(respond, result, note=f"{note} — thanks, Earshot learns from this",
                    body=body, client=client, context=context)


async def on_sentiment(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                       respond: AsyncRespond, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    await ack()
    ref = blocks.remark_of_action(action)
    chosen = (action.get("selected_option") or {}).get("value")
    if ref is None or chosen not in blocks.SENTIMENT_LABELS:
        await _stale(respond, body, client, context)
        return
    try:
        result = await correct_sentiment(services_of(context), team_id=context.team_id or "",
                                         remark_id=ref[0], drawn_for=ref[1], sentiment=chosen,
                                         by=body["user"]["id"])
    except StaleControl:
        await _stale(respond, body, client, context)
        return
    await _rerender(respond, result, note=f"Sentiment set to {blocks.SENTIMENT_LABELS[chosen]}")


async def on_customer(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                      respond: AsyncRespond, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    await ack()
    ref = blocks.remark_of_action(action)
    if ref is None:
        await _stale(respond, body, client, context)
        return
    async with services_of(context).sessions() as session:
        remark = await RemarkRepository(session).get(context.team_id or "", ref[0])
    if remark is None:
        await _gone(respond)
        return
    if remark.fingerprint != ref[1]:
        await _stale(respond, body, client, context)
        return
    services = services_of(context)
    # The metadata names the remark and what it was drawn for; where to answer stays here
    # (workspace.replies).
    meta = json.dumps({"remark_id": remark.id, "drawn_for": remark.fingerprint})
    try:
        opened = await client.views_open(trigger_id=body["trigger_id"],
                                         view=blocks.customer_modal(remark.customer, meta, CUSTOMER_VIEW))
    except SlackApiError as e:
        log.warning("actions: could not open customer modal: %s", e.response.get("error"))
        return
    await replies.remember(services, team_id=context.team_id or "", view_id=(opened.get("view") or {}).get("id"),
                           user_id=body["user"]["id"], remark_id=remark.id,
                           response_url=body.get("response_url"))


async def on_customer_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any],
                             context: AsyncBoltContext) -> None:
    values = view.get("state", {}).get("values", {})
    customer = ((values.get("customer") or {}).get("value") or {}).get("value") or ""
    if len(customer) > CUSTOMER_NAME:
        await ack(response_action="errors",
                  errors={"customer": f"Keep it under {CUSTOMER_NAME} characters (a company name)."})
        return
    services = services_of(context)
    team_id, user_id = context.team_id or "", body["user"]["id"]
    # Where to answer is what Slack sent when this person opened this modal, never a URL
    # the submission carries.
    kept = await replies.recall(services, team_id=team_id, view_id=view.get("id"), user_id=user_id)
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        remark_id = kept.remark_id if kept is not None else int(meta.get("remark_id", 0))
        drawn_for = str(meta.get("drawn_for") or "")
    except (ValueError, TypeError, AttributeError):
        await ack(response_action="errors", errors={"customer": "This form expired; start again."})
        return
    try:
        result = await correct_customer(services, team_id=team_id, remark_id=remark_id,
                                        drawn_for=drawn_for, customer=customer, by=user_id)
    except StaleControl:
        await ack(response_action="errors", errors={"customer": STALE})
        return
    note = f"Customer set to {result.remark.customer}" if result and result.remark.customer else "Customer cleared"
    if kept is None:
        # No confirmation to replace: say it in the modal.
        await ack(response_action="update", view=modals.notice_view(
            "Customer", f":pencil2: {escape(note)}." if result else GONE))
        return
    await ack()
    webhook = AsyncWebhookClient(kept.response_url)

    async def respond(**kwargs: Any) -> None:
        await webhook.send_dict(kwargs)

    await _rerender(respond, result, note=note)


async def on_undo(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond,
                  client: AsyncWebClient, context: AsyncBoltContext) -> None:
    await ack()
    services = services_of(context)
    ref = blocks.remark_of_action(action)
    if ref is None:
        await _stale(respond, body, client, context)
        return
    try:
        removed, deleted, before = await undo_capture(services, team_id=context.team_id or "",
                                                      remark_id=ref[0], drawn_for=ref[1],
                                                      user_id=body["user"]["id"])
    except StaleControl:
        await _stale(respond, body, client, context)
        return
    if before is None:
        await _gone(respond)
        return
    if deleted and before.channel_id and before.message_ts:
        try:
            await client.reactions_remove(channel=before.channel_id, timestamp=before.message_ts,
                                          name=services.settings.captured_emoji)
        except SlackApiError as e:
            log.debug("actions: could not remove mark: %s", e.response.get("error"))
    if deleted:
        text = ":leftwards_arrow_with_hook: Undone: the remark was removed from Earshot."
    elif removed:
        text = (":leftwards_arrow_with_hook: Undone: your capture was withdrawn; the remark stays "
                "because teammates captured it too.")
    else:
        text = "You had no capture on this remark to undo."
    await respond(replace_original=True, **blocks.notice(text))


EARLIER_GONE = (":wastebasket: The earlier remark was deleted meanwhile, so there is nothing to merge "
                "into: this one stays filed on its own.")
REFUSED = {
    "not_offered": (":no_entry: Earshot did not offer to merge these two remarks (or the button is out "
                    "of date), so nothing was merged."),
    "not_allowed": (":lock: Only the teammate who captured the new remark, the owner of its process "
                    "or a workspace admin can merge it into another one. Nothing was merged."),
}


async def on_same(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond,
                  client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """*Same as this one*: merge the new remark into the earlier one it repeats."""
    await ack()
    same = blocks.parse_same(action.get("value"))
    if same is None:
        await respond(replace_original=False, response_type="ephemeral", **blocks.notice(REFUSED["not_offered"]))
        return
    result = await duplicates.merge(services_of(context), client, team_id=context.team_id or "",
                                    remark_id=same[0], into_id=same[1], drawn_for=same[2],
                                    by=body["user"]["id"])
    if result.status == "gone" or (result.status == "already" and result.remark is None):
        await _gone(respond)
    elif result.status in REFUSED:
        await respond(replace_original=False, response_type="ephemeral",
                      **blocks.notice(REFUSED[result.status]))
    elif result.status == "earlier_gone":
        await respond(replace_original=False, response_type="ephemeral", **blocks.notice(EARLIER_GONE))
    else:
        assert result.remark is not None
        note = ("Merged: counted as one more capture of the earlier remark" if result.status == "merged"
                else "Already merged into the earlier remark: nothing changed")
        await respond(replace_original=True, **blocks.capture_confirmation(
            result.remark, result.process_name, headline=md(":twisted_rightwards_arrows: *{}*", note)))


def register(app: AsyncApp) -> None:
    app.action(blocks.ACTION_SAME)(on_same)
    app.options(blocks.ACTION_PROCESS)(on_process_options)
    app.action(blocks.ACTION_PROCESS)(on_process)
    app.action(blocks.ACTION_SENTIMENT)(on_sentiment)
    app.action(blocks.ACTION_CUSTOMER)(on_customer)
    app.view(CUSTOMER_VIEW)(on_customer_submit)
    app.action(blocks.ACTION_UNDO)(on_undo)
