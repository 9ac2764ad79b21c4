"""Block Kit limits Slack enforces on chat.postMessage / chat.update / views.* (a useful subset)."""

from __future__ import annotations

from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BLOCK_ID = 255
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000


def _text_of(obj: Any) -> str:
    if isinstance(obj, dict):
        value = obj.get("text", "")
        return value if isinstance(value, str) else ""
    return ""


def block_errors(
    blocks: Any, *, max_blocks: int = MAX_MESSAGE_BLOCKS, pointer: str = "/blocks"
) -> list[str]:
    """Slack-style error strings (``"... [json-pointer:/blocks/0/text]"``); empty when valid."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:{pointer}]")
    for i, block in enumerate(blocks):
        here = f"{pointer}/{i}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            errors.append(f"missing required field: type [json-pointer:{here}]")
            continue
        btype = block["type"]
        if len(str(block.get("block_id", ""))) > MAX_BLOCK_ID:
            errors.append(
                f"must be less than {MAX_BLOCK_ID + 1} characters [json-pointer:{here}/block_id]"
            )
        if btype == "section":
            text = block.get("text")
            fields = block.get("fields")
            if text is None and not fields and "expand" not in block:
                errors.append(f"must provide either text or fields [json-pointer:{here}]")
            if len(_text_of(text)) > MAX_SECTION_TEXT:
                errors.append(
                    f"must be less than {MAX_SECTION_TEXT + 1} characters [json-pointer:{here}/text/text]"
                )
            if isinstance(text, dict) and text.get("type") not in ("plain_text", "mrkdwn"):
                errors.append(f"must be a valid enum value [json-pointer:{here}/text/type]")
            if fields is not None:
                if len(fields) > MAX_SECTION_FIELDS:
                    errors.append(
                        f"no more than {MAX_SECTION_FIELDS} items allowed [json-pointer:{here}/fields]"
                    )
                for j, f in enumerate(fields):
                    if len(_text_of(f)) > MAX_FIELD_TEXT:
                        errors.append(
                            f"must be less than {MAX_FIELD_TEXT + 1} characters [json-pointer:{here}/fields/{j}/text]"
                        )
        elif btype == "header":
            text = block.get("text")
            if not isinstance(text, dict):
                errors.append(f"missing required field: text [json-pointer:{here}]")
            else:
                if text.get("type") != "plain_text":
                    errors.append(f"must be a valid enum value [json-pointer:{here}/text/type]")
                if len(_text_of(text)) > MAX_HEADER_TEXT:
                    errors.append(
                        f"must be less than {MAX_HEADER_TEXT + 1} characters [json-pointer:{here}/text/text]"
                    )
        elif btype == "context":
            elements = block.get("elements") or []
            if not elements:
                errors.append(f"missing required field: elements [json-pointer:{here}]")
            if len(elements) > MAX_CONTEXT_ELEMENTS:
                errors.append(
                    f"no more than {MAX_CONTEXT_ELEMENTS} items allowed [json-pointer:{here}/elements]"
                )
        elif btype == "actions":
            elements = block.get("elements") or []
            if not elements:
                errors.append(f"missing required field: elements [json-pointer:{here}]")
            if len(elements) > MAX_ACTIONS_ELEMENTS:
                errors.append(
                    f"no more than {MAX_ACTIONS_ELEMENTS} items allowed [json-pointer:{here}/elements]"
                )
        elif btype == "input":
            if "element" not in block:
                errors.append(f"missing required field: element [json-pointer:{here}]")
            if "label" not in block:
                errors.append(f"missing required field: label [json-pointer:{here}]")
    return errors


def view_errors(view: Any, *, home: bool = False) -> list[str]:
    """Errors for a view payload (views.open/push/update/publish)."""
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"]
    errors: list[str] = []
    vtype = view.get("type")
    allowed = ("home",) if home else ("modal",)
    if vtype not in allowed:
        errors.append("must be a valid enum value [json-pointer:/view/type]")
    if vtype == "modal":
        title = view.get("title")
        if not isinstance(title, dict):
            errors.append("missing required field: title [json-pointer:/view]")
        elif len(_text_of(title)) > MAX_VIEW_TITLE:
            errors.append(
                f"must be less than {MAX_VIEW_TITLE + 1} characters [json-pointer:/view/title/text]"
            )
        blocks = view.get("blocks", [])
        if (
            any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
            and "submit" not in view
        ):
            errors.append(
                "must provide submit when input blocks are used [json-pointer:/view/submit]"
            )
    if len(str(view.get("private_metadata", ""))) > MAX_PRIVATE_METADATA:
        errors.append(
            f"must be less than {MAX_PRIVATE_METADATA + 1} characters [json-pointer:/view/private_metadata]"
        )
    errors.extend(
        block_errors(view.get("blocks", []), max_blocks=MAX_VIEW_BLOCKS, pointer="/view/blocks")
    )
    return errors
