"""Signing outbound webhooks (bot/domain/workspace/hooks_sign.py) against the Standard Webhooks
spec (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md)
and the test vector its reference libraries are tested with (libraries/python tests: secret
``whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw``, id ``msg_p5jXN8AQM9LWM0D4loKWxJek``, timestamp
1614265330, body ``{"test": 2432232314}``)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

from bot.domain.workspace import hooks_sign

VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_AT = dt.datetime.fromtimestamp(1614265330, dt.UTC)
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_spec_test_vector():
    assert (
        hooks_sign.signature(VECTOR_SECRET, VECTOR_ID, VECTOR_AT, VECTOR_BODY) == VECTOR_SIGNATURE
    )


def test_headers_carry_id_timestamp_and_signature_of_id_dot_timestamp_dot_body():
    h = hooks_sign.headers(VECTOR_SECRET, VECTOR_ID, VECTOR_AT, VECTOR_BODY)
    assert h["webhook-id"] == VECTOR_ID and h["webhook-timestamp"] == "1614265330"
    key = base64.b64decode(VECTOR_SECRET.removeprefix("whsec_"))
    mac = hmac.new(
        key, b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330." + VECTOR_BODY, hashlib.sha256
    ).digest()
    assert h["webhook-signature"] == "v1," + base64.b64encode(mac).decode()


def test_a_new_secret_is_whsec_and_32_random_bytes():
    a, b = hooks_sign.new_secret(), hooks_sign.new_secret()
    assert a.startswith("whsec_") and a != b
    assert len(base64.b64decode(a.removeprefix("whsec_"))) == 32


def test_message_ids_are_unique_and_prefixed():
    ids = {hooks_sign.new_msg_id() for _ in range(100)}
    assert len(ids) == 100 and all(i.startswith("msg_") and len(i) <= 40 for i in ids)


def test_body_is_type_timestamp_data_in_utc():
    at = dt.datetime(2026, 12, 6, 17, 0, 1, 250000, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    body = json.loads(
        hooks_sign.body("remark.created", at, {"remark": {"id": 7, "text": "ça va <b>"}})
    )
    assert body == {
        "type": "remark.created",
        "timestamp": "2026-12-06T16:00:01.250Z",
        "data": {"remark": {"id": 7, "text": "ça va <b>"}},
    }


def test_several_secrets_give_space_separated_signatures_the_spec_library_accepts():
    """A rotation's grace: one ``v1,`` signature per secret, space-delimited (the spec's
    "Signature scheme"); the spec authors' verifier accepts either secret."""
    from standardwebhooks.webhooks import Webhook

    other = hooks_sign.new_secret()
    at = dt.datetime.now(dt.UTC)
    h = hooks_sign.headers([other, VECTOR_SECRET], VECTOR_ID, at, VECTOR_BODY)
    first, second = h["webhook-signature"].split(" ")
    assert first == hooks_sign.signature(other, VECTOR_ID, at, VECTOR_BODY)
    assert second == hooks_sign.signature(VECTOR_SECRET, VECTOR_ID, at, VECTOR_BODY)
    for secret in (other, VECTOR_SECRET):
        assert Webhook(secret).verify(VECTOR_BODY, h) == {"test": 2432232314}


def test_the_previous_secret_signs_only_within_its_grace():
    now = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    keys = hooks_sign.signing_secrets
    assert keys("whsec_new", "whsec_old", None, now) == ["whsec_new"]
    until = now + dt.timedelta(hours=24)
    assert keys("whsec_new", "whsec_old", until, now) == ["whsec_new", "whsec_old"]
    assert keys("whsec_new", "whsec_old", until, until) == ["whsec_new"]
    assert keys("whsec_new", None, until, now) == ["whsec_new"]
