"""Odd JSON shapes for fuzzing deliveries, drawn by hypothesis.

``draw`` collects examples of a strategy into a list so that an async end-to-end test can
send them together (in one leased batch, or concurrently over HTTP) and then check the
whole outcome; hypothesis picks varied, nasty shapes (derandomized, so runs repeat).
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

T = TypeVar("T")

SURROGATE = "\ud800"

scalars: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", " ", "0", "null", "{}", "[]", "U0ALICE001", "C0SUPPORT1", "1.0",
                     "x" * 300, "\u0000", "\u202e", "🙂"]),
)

odd_json: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["type", "ts", "channel", "id", "user", "value", "x"]) | st.text(max_size=5),
                        inner, max_size=4),
    ),
    max_leaves=8,
)


def draw(strategy: st.SearchStrategy[T], n: int) -> list[T]:
    """``n`` examples of ``strategy`` (hypothesis's choice, not uniformly random)."""
    out: list[T] = []

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: T) -> None:
        out.append(value)

    collect()
    return out[:n]


def put_at(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``doc`` with the dotted ``path`` set to ``value`` (made where missing)."""
    out = copy.deepcopy(doc)
    node: Any = out
    *parents, last = path.split(".")
    for key in parents:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[last] = value
    return out
