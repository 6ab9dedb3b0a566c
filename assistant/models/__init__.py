"""The ORM model; importing this package registers every table on Base.metadata."""

from assistant.models.activities import Activity, ActivityType
from assistant.models.audit import AuditEntry, Channel
from assistant.models.base import Base
from assistant.models.calls import CallRecording, Job
from assistant.models.conversation import Message, PendingAction, ProcessedEvent, Thread
from assistant.models.crm import Account, AccountMember, Contact, Lead
from assistant.models.deals import Deal, DealStageHistory, Pipeline, Stage
from assistant.models.imports import ImportRun
from assistant.models.users import ApiToken, Role, Team, User
from assistant.models.web_sessions import WebSession

__all__ = [
    "Account",
    "AccountMember",
    "Activity",
    "ActivityType",
    "ApiToken",
    "AuditEntry",
    "Base",
    "CallRecording",
    "Channel",
    "Contact",
    "Deal",
    "DealStageHistory",
    "ImportRun",
    "Job",
    "Lead",
    "Message",
    "PendingAction",
    "Pipeline",
    "ProcessedEvent",
    "Role",
    "Stage",
    "Team",
    "Thread",
    "User",
    "WebSession",
]
