"""Customers: the registry and its rules and file, and a Slack Connect author's organisation."""
