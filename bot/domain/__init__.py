"""The domain: the rules of Earshot, independent of Bolt and aiohttp. It knows storage and
Slack's shapes, never the server or a CLI.

One sub-package per subject, each importing only those below it (pyproject.toml's
import-linter contract "Domain sub-packages point down"):

    reads                     what the read API shows (remarks by filter, themes, lists)
    capture | loop | alerts   capturing remarks; improvements and Did it work?; batched DMs
    filing                    the per-workspace classifier, corrections, themes, duplicates
    customers                 the customer registry and Slack Connect organisations
    workspace                 Web API clients, permissions, Grid access, the outbox
    processes                 the process registry and a workspace's starter set
    privacy                   retention, erasure, uninstall, redaction, exports

``services.py`` wires them together (settings, sessions, the filing and customer caches,
the clients) and is handed to every domain function. ``acting.py`` is who a function acts
for (``Asker``) and the refusal of a non-admin (``require_admin``); it imports nothing of the
domain, so every sub-package refuses where the change is made (the rule itself is
``workspace/permissions.py``).
"""
