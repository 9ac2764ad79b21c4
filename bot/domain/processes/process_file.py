"""The process registry as YAML: parse with line-numbered errors, dump, starter set.

Shared by ``earshot processes import/export`` and ``earshot classify --processes``.
We walk yaml's composed node tree (not the loaded dict) so every error can name the
line the admin has to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NAME_LENGTH = 80
_KNOWN_KEYS = ("name", "description", "keywords", "owner", "archived")
FIELDS = frozenset(_KNOWN_KEYS)
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"


@dataclass(frozen=True)
class ProcessDef:
    """One process as written in the YAML registry."""

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    owner: str | None = None
    archived: bool = False
    # The keys the file wrote for this process: an import keeps the fields left out.
    given: frozenset[str] = field(default=FIELDS, compare=False)


class ProcessFileError(ValueError):
    """A registry file problem; the message starts with "line N:"."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: Node, field: str) -> str | None:
    """A scalar's text (None for YAML null); lists and mappings are errors."""
    if not isinstance(node, ScalarNode):
        raise ProcessFileError(_line(node), f"'{field}' must be a single value")
    if node.tag == _NULL_TAG and node.style is None:
        return None
    return str(node.value).strip()


def _keywords(node: Node) -> tuple[str, ...]:
    if isinstance(node, ScalarNode):
        text = _scalar(node, "keywords") or ""
        items = text.split(",")
    elif isinstance(node, SequenceNode):
        items = []
        for item in node.value:
            if not isinstance(item, ScalarNode):
                raise ProcessFileError(_line(item), "'keywords' must be a list of words")
            items.append(str(item.value))
    else:
        raise ProcessFileError(_line(node), "'keywords' must be a list of words")
    seen: dict[str, None] = {}
    for kw in items:
        kw = " ".join(kw.split())
        if kw and kw.lower() not in {s.lower() for s in seen}:
            seen[kw] = None
    return tuple(seen)


def _archived(node: Node) -> bool:
    if isinstance(node, ScalarNode) and node.tag == _NULL_TAG and node.style is None:
        return False
    if not isinstance(node, ScalarNode) or node.tag != _BOOL_TAG:
        raise ProcessFileError(_line(node), "'archived' must be true or false")
    return node.value.lower() in ("true", "yes", "on", "y")


def _process(node: Node) -> ProcessDef:
    if not isinstance(node, MappingNode):
        raise ProcessFileError(_line(node), "each process must be a mapping with a 'name'")
    fields: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in _KNOWN_KEYS:
            raise ProcessFileError(
                _line(key_node),
                f"unknown key '{key}' (allowed: {', '.join(_KNOWN_KEYS)})",
            )
        if key in fields:
            raise ProcessFileError(_line(key_node), f"duplicate key '{key}'")
        fields[key] = value_node
    if "name" not in fields:
        raise ProcessFileError(_line(node), "process has no 'name'")
    name = " ".join((_scalar(fields["name"], "name") or "").split())
    if not name:
        raise ProcessFileError(_line(fields["name"]), "'name' must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ProcessFileError(
            _line(fields["name"]), f"'name' is longer than {MAX_NAME_LENGTH} characters"
        )
    description = ""
    if "description" in fields:
        description = " ".join((_scalar(fields["description"], "description") or "").split())
    keywords = _keywords(fields["keywords"]) if "keywords" in fields else ()
    owner = _scalar(fields["owner"], "owner") if "owner" in fields else None
    archived = _archived(fields["archived"]) if "archived" in fields else False
    return ProcessDef(name, description, keywords, owner or None, archived, frozenset(fields))


def load_processes(text: str) -> list[ProcessDef]:
    """Parse and validate a registry; raises ProcessFileError naming the line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ProcessFileError(line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ProcessFileError(1, f"not valid YAML: {exc}") from None
    if root is None:
        raise ProcessFileError(1, "expected a mapping with a 'processes' list")
    if not isinstance(root, MappingNode):
        raise ProcessFileError(_line(root), "expected a mapping with a 'processes' list")
    seq: Node | None = None
    for key_node, value_node in root.value:
        if key_node.value != "processes":
            raise ProcessFileError(
                _line(key_node), f"unknown key '{key_node.value}' (expected 'processes')"
            )
        seq = value_node
    if seq is None:
        raise ProcessFileError(_line(root), "missing 'processes' list")
    if isinstance(seq, ScalarNode) and seq.tag == _NULL_TAG:
        return []
    if not isinstance(seq, SequenceNode):
        raise ProcessFileError(_line(seq), "'processes' must be a list")
    out: list[ProcessDef] = []
    seen: dict[str, int] = {}
    for item in seq.value:
        proc = _process(item)
        folded = proc.name.casefold()
        if folded in seen:
            raise ProcessFileError(
                _line(item), f"duplicate process name '{proc.name}' (first on line {seen[folded]})"
            )
        seen[folded] = _line(item)
        out.append(proc)
    return out


class _FlowList(list):
    """Marker so keywords dump as ``[a, b, c]`` the way people write them."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _FlowList,
    lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True),
)


def dump_processes(defs: Iterable[ProcessDef]) -> str:
    """Render processes in the registry format (optional fields only when set)."""
    items = []
    for d in defs:
        item: dict[str, object] = {"name": d.name}
        if d.description:
            item["description"] = d.description
        item["keywords"] = _FlowList(d.keywords)
        if d.owner:
            item["owner"] = d.owner
        if d.archived:
            item["archived"] = True
        items.append(item)
    return yaml.dump(
        {"processes": items}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def load_starter_processes() -> list[ProcessDef]:
    """The starter processes offered to a new workspace (bot/domain/processes/starter_processes.yaml)."""
    text = resources.files("bot.domain.processes").joinpath("starter_processes.yaml").read_text(encoding="utf-8")
    return load_processes(text)
