"""Evaluation of the assistant: YAML cases, a runner over fresh demo databases, metrics and reports."""
