"""The one place where error codes become HTTP statuses and the error body is shaped."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ...domain.errors import DomainError, ErrorCode, ErrorKind

log = logging.getLogger(__name__)

STATUS_OF_KIND = {
    ErrorKind.INVALID: 422,
    ErrorKind.CONFLICT: 409,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.RATE_LIMITED: 429,
}

# Chinese for the transport refusals that come from the framework, not from a domain error code
HTTP_MESSAGES_ZH = {
    400: "请求格式错误。",
    405: "不支持该请求方法。",
    406: "无法提供所请求的格式。",
    413: "请求内容过大。",
    415: "不支持的内容类型。",
}

MAX_FIELDS = 20  # a body with thousands of wrong keys gets the first few named, not a reply as large as itself


def error_body(code: str, message: str, message_zh: str, **details: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "message_zh": message_zh, **details}}


def domain_error_response(error: DomainError) -> JSONResponse:
    body = error_body(error.code.name, error.message, error.message_zh, **jsonable_encoder(error.details))
    return JSONResponse(body, status_code=STATUS_OF_KIND[error.code.kind])


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, error: DomainError) -> JSONResponse:
        return domain_error_response(error)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        fields = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()[:MAX_FIELDS]
        ]
        code = ErrorCode.VALIDATION_FAILED
        first = fields[0] if fields else {"loc": [], "msg": ""}
        where = ".".join(x for x in first["loc"] if x not in ("body", "query", "path"))
        if first.get("type") == "json_invalid":
            where = "JSON"  # its loc is a character position, not a field
        return JSONResponse(
            error_body(
                code.name,
                f"{code.message} {where}: {first['msg']}" if where else f"{code.message} {first['msg']}".strip(),
                f"{code.message_zh}（{where}）" if where else code.message_zh,
                fields=fields,
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: ErrorCode.NOT_FOUND, 401: ErrorCode.NOT_AUTHENTICATED}.get(error.status_code)
        if code is not None:
            body = error_body(code.name, code.message, code.message_zh)
        else:
            zh = HTTP_MESSAGES_ZH.get(error.status_code, "请求无法处理。")
            body = error_body(f"HTTP_{error.status_code}", str(error.detail), zh)
        return JSONResponse(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, error: IntegrityError) -> JSONResponse:
        log.info("integrity conflict: %s", error.orig)
        return domain_error_response(DomainError(ErrorCode.CONFLICT))

    @app.exception_handler(OperationalError)
    async def _operational(_request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database busy: %s", error.orig)
        return JSONResponse(
            error_body(ErrorCode.CONFLICT.name, "The platform is busy; try again.", "系统繁忙，请重试。"),
            status_code=503,
        )

    @app.exception_handler(DataError)
    async def _data(_request: Request, error: DataError) -> JSONResponse:
        """A value the database cannot hold (out of range, NUL in text) that validation let through: bad input."""
        log.warning("database refused a value: %s", error.orig)
        return domain_error_response(DomainError(ErrorCode.VALIDATION_FAILED))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, _error: Exception) -> JSONResponse:
        """The last resort: still the JSON error shape, never a bare text page (the server logs the error)."""
        return JSONResponse(
            error_body("INTERNAL_ERROR", "Something went wrong on our side; try again.", "系统出错，请稍后重试。"),
            status_code=500,
        )
