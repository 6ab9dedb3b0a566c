"""?page=&page_size= for every list endpoint."""

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import Session

from assistant.crm.schemas.common import Page
from assistant.crm.services.common import paginate

P = TypeVar("P", bound=BaseModel)


class PageParams(BaseModel):
    page: int
    page_size: int


def page_params(
    page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=200)] = 50
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


Paging = Annotated[PageParams, Depends(page_params)]


def page_of(db: Session, query: Select[Any], paging: PageParams, public: type[P]) -> Page[P]:
    rows, total = paginate(db, query, paging.page, paging.page_size)
    return Page[public](  # type: ignore[valid-type]
        items=[public.model_validate(row) for row in rows],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
    )
