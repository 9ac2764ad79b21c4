"""Capturing a remark: every route ends in ``record.capture``; edits and deletions,
watched channels, and reading a message from Slack."""
