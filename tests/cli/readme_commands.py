"""The commands the README documents, turned into command lines a test can run.

Every line inside a fenced code block that starts with ``dealwise `` is a documented command. A line
with alternatives (``users list | add EMAIL ... | token EMAIL``) is one command per alternative; a line
with optional parts (``[--seed N]``) is run in its shortest form (none given) and its longest (all
given, each choice its first option). Placeholders (capitals such as ``EMAIL`` or ``N``, and
``<id>``) become values a fresh install can take. Lines that differ only in their values (the
README asks many questions with ``ask --as EMAIL QUESTION``) count once: the first is run.
"""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
FENCE = re.compile(r"^```")
COMMENT = re.compile(r"\s{2,}#.*$")
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")

OPTION_VALUES = {
    "--name": "Test Admin",
    "--seed": "7",
    "--workers": "1",
    "--threads": "1",
    "--host": "127.0.0.1",
    "--team": "West",
    "--password": "correct-horse-battery",
    "--deal": "1",
    "--thread": "1",
    "--as": "admin@acme.test",
    "--days": "30",
}
"""values for placeholders after these options (the port is chosen when the command runs)"""
POSITIONAL_VALUES = {"EMAIL": "admin@acme.test", "TOKEN_ID": "1", "ID": "1"}
PORT = "{port}"


@dataclass(frozen=True)
class Invocation:
    documented: str
    """the README line it comes from"""
    form: str
    """'only' (no optional parts), 'shortest' or 'longest'"""
    argv: tuple[str, ...]
    """the arguments after `dealwise`"""

    @property
    def form_of_use(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The command and the options it is given, whatever their values."""
        return self.words, tuple(sorted(token for token in self.argv if token.startswith("--")))

    @property
    def words(self) -> tuple[str, ...]:
        """The command's name: the leading words before any option or value (`users add`)."""
        names = []
        for token in self.argv:
            if token.startswith("-") or not re.fullmatch(r"[a-z]+", token) or len(names) == 2:
                break
            names.append(token)
        return tuple(names)

    def __str__(self) -> str:
        return "dealwise " + shlex.join(self.argv)


def documented_lines(text: str) -> list[str]:
    """Every `dealwise ...` line inside a fenced code block, comments removed."""
    lines, inside = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            inside = not inside
            continue
        if inside and line.startswith("dealwise "):
            lines.append(COMMENT.sub("", line).strip())
    return lines


def _split_top_level(line: str, separator: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in line:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _alternatives(line: str) -> list[str]:
    """`dealwise users list | add EMAIL | token EMAIL` -> one line per alternative, each with the command's
    group (`dealwise users`) unless it names the whole command itself (`... | dealwise rates list`)."""
    first, *others = (part.strip() for part in _split_top_level(line, "|"))
    names = []
    for word in first.split():
        if not re.fullmatch(r"[a-z]+", word):
            break
        names.append(word)
    prefix = " ".join(names[:-1])
    return [first, *(other if other.startswith("dealwise ") else f"{prefix} {other}" for other in others)]


def _fill(tokens: list[str]) -> list[str]:
    filled = []
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else ""
        if before == "--port":
            filled.append(PORT)
        elif before in OPTION_VALUES and _is_placeholder(token):
            filled.append(OPTION_VALUES[before])
        elif token in POSITIONAL_VALUES:
            filled.append(POSITIONAL_VALUES[token])
        else:
            filled.append(re.sub(r"<([a-z]+)>", r"\1", token))
    return filled


def _is_placeholder(token: str) -> bool:
    """`EMAIL`, `N`, `TOKEN_ID`, `<id>`; three capitals are a currency code (`EUR`), a value to keep."""
    return bool(re.fullmatch(r"[A-Z][A-Z_]*|<[a-z]+>", token)) and not re.fullmatch(r"[A-Z]{3}", token)


def invocations(text: str) -> list[Invocation]:
    """Each documented command in each documented form of use, once."""
    found: dict[tuple[tuple[str, ...], tuple[str, ...]], Invocation] = {}
    for documented in documented_lines(text):
        for line in _alternatives(documented):
            shortest = " ".join(OPTIONAL.sub("", line).split())
            longest = OPTIONAL.sub(lambda m: re.sub(r"(\S+?)\|\S+", r"\1", m.group(1)), line)
            forms = [("only", shortest)] if shortest == longest else [("shortest", shortest), ("longest", longest)]
            for form, command in forms:
                invocation = Invocation(documented, form, tuple(_fill(shlex.split(command)[1:])))
                found.setdefault(invocation.form_of_use, invocation)
    return list(found.values())


def unfilled_placeholders(invocation: Invocation) -> list[str]:
    return [token for token in invocation.argv if _is_placeholder(token) or "<" in token]
