"""The acknowledged path's inbox keys, over HTTP against the running app: each delivery's key
is unique and keys grow in the order the batches were committed (so each batch's rows go to
the end of the inbox's unique index, not to a random page each: docs/api.md, Throughput);
the stored payload is still the JSON the worker reads, with the remark's key."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from storage.models import Delivery
from tests.conftest import start_bot
from tests.e2e.test_intake_ack_batches import made, remark, wave


async def test_acknowledged_deliveries_get_unique_keys_that_grow_batch_after_batch(settings, db):
    # No worker in the process (as under `earshot serve` with WORKER=separate): a worker
    # filing the first bursts while later ones arrive empties their stored bodies (a finished
    # delivery keeps none), and the payloads below could not be read.
    running, stop = await start_bot(settings.model_copy(update={"worker": "separate"}))
    try:
        tok = await made(db, "zendesk")
        for w in range(6):  # one burst after another: a batch (or a few) each
            sends = [(tok, remark(10 * w + i)) for i in range(4)]
            sends.append((tok, {"text": f"Wave {w}: no external id", "source": "zendesk"}))
            assert [s for s, _ in await wave(running, sends)] == [202] * 5
    finally:
        await stop()
    async with db() as s:
        rows = (await s.execute(select(Delivery.delivery_key, Delivery.body)
                                .where(Delivery.kind == "api").order_by(Delivery.id))).all()
    keys = [k for k, _ in rows]
    assert len(keys) == 30 and len(set(keys)) == 30
    assert all(re.fullmatch(r"api:[0-9a-f]{32}", k) for k in keys), keys
    assert keys == sorted(keys)  # committed later, sorted later
    for key, body in rows:
        payload = json.loads(body)
        assert payload["type"] == "earshot_api_remark" and payload["capturer"] == "api:zendesk"
        if "external_id" in payload["body"]:
            assert re.fullmatch(r"ext:[0-9a-f]{48}", payload["key"])
        else:  # no external id: the remark is keyed by its delivery
            assert payload["key"] == key
