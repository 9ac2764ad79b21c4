"""SQLAlchemy 2 declarative models. Every table carries ``team_id``; constraints are named.

One module per concern; everything is importable from ``storage.models``."""

from storage.models.api import ApiRate, ApiToken
from storage.models.base import NAMING, ROUTES, SENTIMENTS, Base, UTCDateTime, utcnow
from storage.models.deliveries import Delivery, HandledPost, OwedEffect
from storage.models.digests import CustomerAlert, DigestRun, OwnerAlert
from storage.models.guards import TrackerDelivery, ViewReply
from storage.models.improvements import (
    IMPROVEMENT_STATUSES,
    Improvement,
    ImprovementNotice,
    ImprovementRemark,
    ImprovementStatusChange,
    LoopClaim,
)
from storage.models.remarks import Capture, Remark, RemarkDaily, remark_fingerprint
from storage.models.sources import (
    Backfill,
    MessageChange,
    RateReservation,
    RateSlot,
    WatchCount,
    WatchExample,
)
from storage.models.themes import MergeOffer, RemarkMerge, Theme
from storage.models.webhooks import PING_EVENT, WebhookDelivery, WebhookSubscription
from storage.models.workspaces import (
    CrmSync,
    Customer,
    Heartbeat,
    Process,
    UserPrefs,
    WatchedChannel,
    Workspace,
)

__all__ = ["ApiRate", "ApiToken", "Backfill", "Base", "Capture", "CrmSync", "Customer", "CustomerAlert", "Delivery", "DigestRun", "HandledPost", "Heartbeat", "Improvement", "IMPROVEMENT_STATUSES", "ImprovementNotice", "ImprovementRemark", "ImprovementStatusChange", "LoopClaim", "MergeOffer", "MessageChange", "NAMING", "OwedEffect", "OwnerAlert", "PING_EVENT", "Process", "RateReservation", "RateSlot", "Remark", "remark_fingerprint", "RemarkDaily", "RemarkMerge", "ROUTES", "SENTIMENTS", "Theme", "TrackerDelivery", "UserPrefs", "UTCDateTime", "utcnow", "ViewReply", "WatchCount", "WatchedChannel", "WatchExample", "WebhookDelivery", "WebhookSubscription", "Workspace"]
