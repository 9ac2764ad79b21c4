"""The pure rules behind permissions: who users.info says is an admin of a workspace, the
ADMIN_USERS setting, how controls name a remark, and sealed modal metadata."""

from __future__ import annotations

import pytest

from bot.config import Settings, SettingsError, load_settings
from bot.domain.workspace.permissions import admin_of
from bot.fakeslack.state import Workspace as FakeWorkspace
from bot.slack import blocks
from bot.slack.sealed import is_sealed, scope_of, seal
from storage.models import Remark, remark_fingerprint

SINGLE = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s", "_env_file": None}
OAUTH = {"slack_client_id": "1.2", "slack_client_secret": "c", "slack_signing_secret": "s", "_env_file": None}
EAST, WEST, ORG, PARTNER = "T0EAST0001", "T0WEST0001", "E0GRID0001", "T0PARTNER1"


def grid_east() -> FakeWorkspace:
    """East, in organisation ORG with West; a Slack Connect partner beside them. Users are
    answered by the stand-in exactly as users.info would (api.slack.com/types/user)."""
    ws = FakeWorkspace(team_id=EAST, enterprise_id=ORG)
    ws.add_team(WEST, "West", "west", enterprise_id=ORG)
    ws.add_team(PARTNER, "Partner", "partner")
    ws.add_user("U0EASTADM1", "ea", is_admin=True)
    ws.add_user("U0EASTOWN1", "eo", is_owner=True)
    ws.add_user("U0EASTMEM1", "em")
    ws.add_user("U0EASTORG1", "eg", is_org_admin=True)
    ws.add_user("U0WESTADM1", "wa", team_id=WEST, is_admin=True)  # West's admin, not the org's
    ws.add_user("U0WESTORG1", "wo", team_id=WEST, is_org_owner=True)
    ws.add_user("U0PARTADM1", "pa", team_id=PARTNER, is_admin=True, is_owner=True)
    ws.add_user("U0GUEST001", "gu", is_admin=True)
    ws.users["U0GUEST001"].is_restricted = True
    return ws


@pytest.mark.parametrize(("user", "admin"), [
    ("U0EASTADM1", True), ("U0EASTOWN1", True), ("U0EASTMEM1", False), ("U0EASTORG1", True),
    ("U0WESTADM1", False), ("U0WESTORG1", True), ("U0PARTADM1", False), ("U0GUEST001", False),
])
def test_who_is_an_admin_of_east(user: str, admin: bool) -> None:
    seen = grid_east().user_as_seen(user)
    assert admin_of(seen, EAST, ORG) is admin
    # Nobody from elsewhere counts where the workspace's organisation is unknown.
    if seen["team_id"] != EAST:
        assert admin_of(seen, EAST, None) is False


def test_a_partners_admin_is_a_stranger_and_never_an_admin_here() -> None:
    seen = grid_east().user_as_seen("U0PARTADM1")
    assert seen["is_stranger"] is True and seen["is_admin"] is True and "enterprise_user" not in seen
    assert admin_of(seen, EAST, ORG) is False
    colleague = grid_east().user_as_seen("U0WESTADM1")
    assert "is_stranger" not in colleague and colleague["enterprise_user"]["enterprise_id"] == ORG


def test_admin_users_pairs_and_bare_ids() -> None:
    single = Settings(**SINGLE, admin_users=" U0BOB00001 , T0002:U0DAN00001")
    assert single.listed_admins("T0001") == ["U0BOB00001"]
    assert single.listed_admins("T0002") == ["U0BOB00001", "U0DAN00001"]
    oauth = Settings(**OAUTH, admin_users="T0001:U0BOB00001,T0002:W0DAN00001")
    assert oauth.listed_admins("T0001") == ["U0BOB00001"] and oauth.listed_admins("T0003") == []


@pytest.mark.parametrize(("given", "problem"), [
    ("U0BOB00001", "names no workspace"),  # OAuth: a bare id would count in every workspace
    ("bob", "neither a user id"),
    ("T0001:U0BOB00001:U0X", "neither a user id"),
    ("E0ORG:U0BOB00001", "neither a user id"),
])
def test_a_bad_admin_users_entry_stops_the_start(given: str, problem: str) -> None:
    with pytest.raises(SettingsError, match=f"ADMIN_USERS is invalid .*{problem}"):
        load_settings(**OAUTH, admin_users=given)


def test_controls_name_a_remark_by_id_and_fingerprint() -> None:
    r = Remark(id=42, team_id="T1", source_key="C1:1.000100", text="x", endorsements=1)
    assert r.fingerprint == remark_fingerprint("C1:1.000100") != remark_fingerprint("C1:1.000200")
    assert blocks.remark_block_id(r) == f"remark:42:{r.fingerprint}"
    assert blocks.remark_of_action({"block_id": f"remark:42:{r.fingerprint}"}) == (42, r.fingerprint)
    assert blocks.remark_of_action({"block_id": "x", "value": f"42:{r.fingerprint}"}) == (42, r.fingerprint)
    assert blocks.remark_of_action({"block_id": "remark:42"}) == (42, "")  # drawn before: matches none
    assert blocks.remark_of_action({"value": "42:a:b"}) is None
    assert blocks.parse_same(f"7:3:{r.fingerprint}") == (7, 3, r.fingerprint)
    assert blocks.parse_same("7:3") == (7, 3, "") and blocks.parse_same("7") is None


def test_sealed_metadata_is_refused_once_changed_or_moved() -> None:
    key = Settings(**SINGLE).metadata_key
    data = seal({"route": "shortcut", "channel_id": "C1", "ts": "1.2"}, key=key, scope=scope_of("T1", "U1"))
    assert is_sealed(data, key=key, scope="T1:U1")
    assert not is_sealed({**data, "channel_id": "C2"}, key=key, scope="T1:U1")
    assert not is_sealed(data, key=key, scope="T2:U1") and not is_sealed(data, key=key, scope="T1:U2")
    assert not is_sealed({k: v for k, v in data.items() if k != "sig"}, key=key, scope="T1:U1")
    other = Settings(**{**SINGLE, "slack_signing_secret": "another"}).metadata_key
    assert not is_sealed(data, key=other, scope="T1:U1")
