import logging
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import Field, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticCustomError

from assistant.crm.models import Role
from assistant.crm.schemas.common import Email, Input, Public, RecordId, TeamRef

log = logging.getLogger(__name__)

TEST_DOMAINS = ("test", "example", "invalid", "localhost")
"""domains reserved for testing (RFC 2606, RFC 6761): mail to them is never delivered, but a test install needs them"""


def _reserved_test_domain(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    domain = value.strip().rpartition("@")[2].lower().rstrip(".")
    return next((name for name in TEST_DOMAINS if domain == name or domain.endswith("." + name)), None)


def _allow_test_domains(value: object, handler: ValidatorFunctionWrapHandler) -> str:
    """An email address; one on a reserved test domain is accepted with a warning instead of refused.

    The address is checked with its reserved name swapped for ``test`` (which email-validator's
    ``test_environment`` allows), so every other rule still applies."""
    reserved = _reserved_test_domain(value)
    if reserved is None:
        return handler(value)
    address = str(value).strip().rstrip(".")
    stand_in = address[: -len(reserved)] + "test"
    try:
        checked = validate_email(stand_in, check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise PydanticCustomError(
            "value_error", "value is not a valid email address: {reason}", {"reason": str(error)}
        ) from error
    normalized = checked.normalized[: -len("test")] + reserved
    log.warning(
        "%s is on the reserved test domain .%s: accepted, but mail to it is never delivered", normalized, reserved
    )
    return normalized


UserEmail = Annotated[Email, WrapValidator(_allow_test_domains)]


class UserCreate(Input):
    email: UserEmail
    name: str = Field(min_length=1, max_length=200)
    role: Role = Role.rep
    team_id: RecordId | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1024)


class UserPublic(Public):
    id: int
    email: str
    name: str
    role: Role
    team: TeamRef | None = None
