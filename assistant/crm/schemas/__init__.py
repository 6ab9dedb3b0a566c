"""Pydantic schema families: *Create, *Update and *Public for each record type."""
