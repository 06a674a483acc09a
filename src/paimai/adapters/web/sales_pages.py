"""我的销售 (/sell/sales) and a seller's public page (/sellers/{id}) (issue 14).

Both read through the JSON API's handlers (sell_api.my_sales, sell_api.public_seller), which read through
services.order_reads and services.seller_reads: what an order's next step is, what counts as sold and which
lots the public may see are the domain's and the services', never this module's.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.errors import DomainError, ErrorCode
from ..http import sell_api
from ..http.schemas import MAX_ID
from .rendering import Page

router = APIRouter(include_in_schema=False)


@router.get("/sell/sales")
def my_sales_page(request: Request) -> Response:
    page = Page(request)
    user = page.user
    if user is None:
        return page.redirect("/login?next=%2Fsell%2Fsales")
    sales = sell_api.my_sales(user=user, container=page.container)
    return page.render("sell_sales.html", sales=sales["items"], totals=sales["totals"])


@router.get("/sellers/{seller_id}")
def seller_page(request: Request, seller_id: str) -> Response:
    page = Page(request)
    if not (seller_id.isascii() and seller_id.isdigit()) or not 1 <= int(seller_id) <= MAX_ID:
        return page.not_found()
    try:
        seller = sell_api.public_seller(seller_id=int(seller_id), container=page.container)
    except DomainError as error:
        if error.code is ErrorCode.SELLER_NOT_FOUND:
            return page.not_found()
        raise
    return page.render("seller.html", seller=seller)
