"""A person pointed at by a pronoun ("what should he chase", "his win rate"), put back by name."""

import re

OF_HIS = re.compile(r"\bof (?:his|hers)\b", re.I)
PERSON_PRONOUN = re.compile(
    r"\b(?:he|she|his|her(?= (?:open|own|deals?|pipeline|pipe|accounts?|leads?|tasks?|won|lost|closed|team|numbers?|"
    r"biggest|largest|top|win|calls?|meetings?|activit(?:y|ies)|total|book|contacts?|last|latest|next|best|worst|"
    r"plate|day|list|agenda|priorities|calendar|to-?dos?|week|morning|(?:job )?title|role|position|(?:work )?e-?mail|"
    r"(?:work |direct )?(?:phone|number|line)|mobile|cell|company|details)\b))\b",
    re.I,
)


OBJECT_PRONOUN = re.compile(
    r"\bhim\b|\bher\b(?=\s*(?:$|[?.!,;:]|(?:on|to|about|again|up|back|yet|and|or|last|since|in|at|for|a|an|the|this|"
    r"that|before|after|over|re|recently|lately|directly)\b))",
    re.I,
)
""""when did I last email her", "had him on a call": the person as the object of the verb"""


def person_in_place(text: str, first: str) -> str:
    """The text with the one person it is about named where it says "he", "she", "his", "her (deals)", "of his",
    "him" or "her" after a verb."""
    text = OF_HIS.sub(f"of {first}", text)
    text = OBJECT_PRONOUN.sub(first, text)
    return PERSON_PRONOUN.sub(lambda m: f"{first}'s" if m[0].lower() in ("his", "her") else first, text)
