"""What the read API (``GET /api/v1/...``) shows of a workspace: its remarks by filter,
its themes, improvements and customers. Reads only; every one bound to one workspace."""
