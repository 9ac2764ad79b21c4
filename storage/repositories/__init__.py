"""Repositories: the only place queries live. Each takes ``team_id`` first."""

from storage.repositories.api_tokens import ApiTokenRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.privacy import PrivacyRepository
from storage.repositories.processes import ProcessRepository
from storage.repositories.remarks import RemarkRepository
from storage.repositories.workspaces import WorkspaceRepository

__all__ = ["ApiTokenRepository", "InboxRepository", "PrivacyRepository", "ProcessRepository", "RemarkRepository", "WorkspaceRepository"]
