"""Errors that cross layers; channels turn them into 4xx answers or polite replies."""


class DealwiseError(Exception):
    """Base class for errors a user should see as a clear message."""


class NotFound(DealwiseError):
    def __init__(self, kind: str, record_id: object) -> None:
        super().__init__(f"{kind} {record_id} not found")
        self.kind = kind
        self.record_id = record_id


class ValidationFailed(DealwiseError):
    """A write broke a rule; names the field and the rule."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class Forbidden(DealwiseError):
    pass
