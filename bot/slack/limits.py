"""Slack's limits (and Earshot's own where they follow from them), each named once.

Slack's: https://api.slack.com/reference/block-kit (blocks, elements, composition objects)
and the Web API method pages (chat.postMessage text).
"""

from __future__ import annotations

MESSAGE_TEXT = 40_000  # chat.postMessage `text`; also the longest remark Earshot keeps
SECTION_TEXT = 3_000  # a section block's text
HEADER_TEXT = 150  # a header block's plain text
FALLBACK_TEXT = 3_000  # the notification text beside blocks (kept short on purpose)
OPTION_TEXT = 75  # an option's text in a select menu
SELECT_OPTIONS = 100  # options in a static select, or returned for an external select
PRIVATE_METADATA = 3_000  # a view's private_metadata
PLAIN_INPUT = 3_000  # a plain_text_input's max_length

CUSTOMER_NAME = 255  # remarks.customer: a company name, not a paragraph
PROCESS_NAME = 80  # processes.name
NOTE_CHARS = 2_000  # a capturer's note (the words beside a forward or a mention)
QUOTE_CHARS = 600  # a remark quoted in a confirmation or the digest
