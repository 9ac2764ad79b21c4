"""SQLAlchemy 2 declarative models. Every table carries ``team_id``; constraints are named.

One module per concern; everything is importable from ``storage.models``."""

from storage.models.base import NAMING, ROUTES, SENTIMENTS, Base, UTCDateTime, utcnow
from storage.models.deliveries import Delivery, HandledPost, OwedEffect
from storage.models.digests import CustomerAlert, DigestRun, OwnerAlert
from storage.models.improvements import (
    IMPROVEMENT_STATUSES,
    Improvement,
    ImprovementNotice,
    ImprovementRemark,
    ImprovementStatusChange,
    LoopClaim,
)
from storage.models.remarks import Capture, Remark, RemarkDaily
from storage.models.themes import RemarkMerge, Theme
from storage.models.workspaces import (
    Customer,
    Heartbeat,
    Process,
    UserPrefs,
    WatchedChannel,
    Workspace,
)

__all__ = ["Base", "Capture", "Customer", "CustomerAlert", "Delivery", "DigestRun", "HandledPost", "Heartbeat", "IMPROVEMENT_STATUSES", "Improvement", "ImprovementNotice", "ImprovementRemark", "ImprovementStatusChange", "LoopClaim", "NAMING", "OwedEffect", "OwnerAlert", "Process", "ROUTES", "Remark", "RemarkDaily", "RemarkMerge", "SENTIMENTS", "Theme", "UTCDateTime", "UserPrefs", "WatchedChannel", "Workspace", "utcnow"]
