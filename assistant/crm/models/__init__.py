"""The ORM model; importing this package registers every table on Base.metadata."""

from assistant.crm.models.activities import Activity, ActivityType
from assistant.crm.models.audit import AuditEntry, Channel
from assistant.crm.models.base import Base
from assistant.crm.models.calls import CallRecording, Job
from assistant.crm.models.changes import NameChange
from assistant.crm.models.conversation import Message, PendingAction, ProcessedEvent, Thread
from assistant.crm.models.crm import Account, AccountMember, Competitor, Contact, Lead
from assistant.crm.models.deals import Deal, DealStageHistory, Pipeline, Stage
from assistant.crm.models.imports import ImportRun
from assistant.crm.models.users import ApiToken, Role, Team, User
from assistant.crm.models.web_sessions import WebSession

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
    "Competitor",
    "Contact",
    "Deal",
    "DealStageHistory",
    "ImportRun",
    "Job",
    "Lead",
    "Message",
    "NameChange",
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
