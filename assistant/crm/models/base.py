"""Declarative base and shared column helpers."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict: JSON, list: JSON}


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None, onupdate=func.now())


class ExternalRef:
    """Where an imported record came from, so re-imports update instead of duplicating."""

    external_source: Mapped[str | None] = mapped_column(default=None)
    external_id: Mapped[str | None] = mapped_column(default=None, index=True)
