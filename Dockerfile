# Earshot in one image; what it runs is the command: `earshot serve` by default (web, worker
# and clock in one process, SQLite in /data), or one role each in compose.yaml. Not built on
# our machines (no container engine there): CI lints it with hadolint, and
# tests/unit/test_deploy_files.py checks it against the Procfile and the README's install.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# The same install as the README's: the package from this checkout, with its dependencies.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN pip install . \
    && useradd --create-home --uid 10001 earshot \
    && mkdir /data \
    && chown earshot /data

USER 10001
WORKDIR /data
ENV PORT=3000 \
    DATABASE_URL=sqlite+aiosqlite:////data/earshot.db
VOLUME ["/data"]
EXPOSE 3000

# No curl in a slim image: Python asks /healthz (200 only when the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

CMD ["earshot", "serve"]
