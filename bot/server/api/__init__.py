"""The intake API (``/api/v1``): remarks from anything that never reaches Slack (docs/api.md)."""
