"""?page=&page_size= for every list endpoint; the largest page is DEALWISE_API_PAGE_SIZE_MAX."""

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import Session

from adapters.web.context import Context
from assistant.crm.principal import Principal
from assistant.crm.schemas.common import INT64_MAX, Page
from assistant.crm.services.common import paginate
from assistant.crm.services.references import hide_out_of_scope

P = TypeVar("P", bound=BaseModel)


class PageParams(BaseModel):
    page: int
    page_size: int


def page_params(
    context: Context,
    page: Annotated[int, Query(ge=1, le=INT64_MAX)] = 1,
    page_size: Annotated[int, Query(ge=1, le=INT64_MAX, description="at most DEALWISE_API_PAGE_SIZE_MAX")] = 50,
) -> PageParams:
    limit = context.settings.api_page_size_max
    if page_size > limit:
        error = {
            "type": "less_than_equal",
            "loc": ("query", "page_size"),
            "msg": f"Input should be less than or equal to {limit}",
            "input": page_size,
        }
        raise RequestValidationError([error])
    return PageParams(page=page, page_size=page_size)


Paging = Annotated[PageParams, Depends(page_params)]


def page_of(
    db: Session, query: Select[Any], paging: PageParams, public: type[P], reader: Principal | None = None
) -> Page[P]:
    """One page of ``query`` as ``public`` models; with a ``reader``, related records they may not open
    are shown by id only."""
    rows, total = paginate(db, query, paging.page, paging.page_size)
    page = Page[public](  # type: ignore[valid-type]
        items=[public.model_validate(row) for row in rows],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
    )
    return hide_out_of_scope(db, reader, page) if reader is not None else page
