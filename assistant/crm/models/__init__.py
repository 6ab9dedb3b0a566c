"""The ORM model; importing this package registers every table on Base.metadata."""

from assistant.crm.models.activities import Activity, ActivityType
from assistant.crm.models.audit import AuditEntry, Channel
from assistant.crm.models.base import Base
from assistant.crm.models.calls import CallRecording, Job
from assistant.crm.models.changes import NameChange
from assistant.crm.models.conversation import Message, PendingAction, ProcessedEvent, Thread
from assistant.crm.models.crm import Account, AccountMember, Competitor, Contact, Lead
from assistant.crm.models.deals import Deal, DealStageHistory, Pipeline, Stage
from assistant.crm.models.email_confirmations import EmailConfirmation
from assistant.crm.models.imports import ImportRun, PossibleDuplicate
from assistant.crm.models.rates import ExchangeRate
from assistant.crm.models.users import ApiToken, LoginToken, Role, Team, User
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
    "EmailConfirmation",
    "ExchangeRate",
    "ImportRun",
    "Job",
    "Lead",
    "LoginToken",
    "Message",
    "NameChange",
    "PendingAction",
    "Pipeline",
    "PossibleDuplicate",
    "ProcessedEvent",
    "Role",
    "Stage",
    "Team",
    "Thread",
    "User",
    "WebSession",
]
