"""The LLM brain's prompt: fixed instructions first (one cached prefix for everyone), the person's facts last."""

from datetime import date

from langchain_core.messages import BaseMessage, SystemMessage

from assistant.crm.deps import Deps
from prompts import prompt_text


def instructions() -> str:
    """The fixed system prompt, the same for every person and every day."""
    return prompt_text("system.md")


def person_facts(deps: Deps) -> str:
    """Who is asking, through which channel, and when."""
    principal = deps.principal
    today: date = deps.clock.today()
    team = f", team id {principal.team_id}" if principal.team_id is not None else ""
    return prompt_text("system_person.md").format(
        name=principal.name,
        user_id=principal.user_id,
        role=principal.role.value,
        team=team,
        channel=str(principal.channel),
        today=today.isoformat(),
        weekday=today.strftime("%A"),
    )


def system_messages(deps: Deps) -> list[BaseMessage]:
    """Two system messages: the shared instructions (tools are rendered next to them), then the person's facts."""
    return [SystemMessage(instructions()), SystemMessage(person_facts(deps))]


def system_prompt(deps: Deps) -> str:
    """Both system messages as one text (for benchmarks and logs)."""
    return "\n\n".join(str(message.content) for message in system_messages(deps))
