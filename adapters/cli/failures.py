"""What a failed command tells its user: one line saying what went wrong and what to do, and an exit code
(2 when the command line or the configuration is wrong, 1 when the work itself failed)."""

import pydantic
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from assistant.crm.errors import DealwiseError
from assistant.crm.settings import ENV_PREFIX

USAGE = 2
FAILURE = 1
DEBUG_HINT = "rerun with --debug (or DEALWISE_DEBUG=1) for the traceback"
MAX_LINE = 400


class CommandError(Exception):
    """A failure with a message for the person at the terminal: what went wrong, then what to do."""

    exit_code = FAILURE

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))
        self.message = one_line(message)


class UsageProblem(CommandError):
    """The command line or the configuration asks for something that cannot be done as given."""

    exit_code = USAGE


def one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 3] + "..."


def as_command_error(error: BaseException) -> CommandError:
    """The message and exit code for an exception a command did not handle itself."""
    if isinstance(error, CommandError):
        return error
    if isinstance(error, DealwiseError):
        return CommandError(str(error))
    if isinstance(error, pydantic.ValidationError):
        return _invalid_input(error)
    if isinstance(error, ArgumentError):
        return UsageProblem(f"{error}; check DEALWISE_DATABASE_URL")
    if isinstance(error, DBAPIError):
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else type(error).__name__
        return CommandError(
            f"the database failed: {reason}; check DEALWISE_DATABASE_URL and that the database is reachable, then retry"
        )
    if isinstance(error, SQLAlchemyError):
        return CommandError(f"the database failed: {_first_line(error)}; {DEBUG_HINT}")
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return CommandError(f"{error.strerror or _first_line(error)}{where}; check the path and its permissions")
    return CommandError(f"{type(error).__name__}: {_first_line(error)}; {DEBUG_HINT}")


def _invalid_input(error: pydantic.ValidationError) -> CommandError:
    settings = error.title == "Settings"
    problems = []
    for problem in error.errors():
        location = ".".join(str(part) for part in problem["loc"])
        if settings:
            location = ENV_PREFIX + location.upper()
        problems.append(f"{location}: {problem['msg']}" if location else problem["msg"])
    if settings:
        return UsageProblem(f"invalid setting {'; '.join(problems)}; fix the variable (see Configuration in README.md)")
    return UsageProblem(f"invalid value {'; '.join(problems)}")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
