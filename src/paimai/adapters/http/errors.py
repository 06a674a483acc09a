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
from .. import i18n
from ..i18n import N_
from ..i18n.families import HTTP_STATUSES
from .headers import security_headers

log = logging.getLogger(__name__)

STATUS_OF_KIND = {
    ErrorKind.INVALID: 422,
    ErrorKind.CONFLICT: 409,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.RATE_LIMITED: 429,
}

DEFAULT_RETRY_AFTER = 60  # a 429 whose refusal names no wait (none does today; tests/http check each)
MAX_FIELDS = 20  # a body with thousands of wrong keys gets the first few named, not a reply as large as itself


class RequestRefused(DomainError):
    """A refusal of the transport's own input (a header, a query): a code, and the key of its own wording."""

    def __init__(self, code: ErrorCode, key: str, **details: Any) -> None:
        super().__init__(code, **details)
        self.key = key


def error_body(code: str, message: str, message_zh: str, **details: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "message_zh": message_zh, **details}}


def domain_error_parts(error: DomainError) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of a refusal."""
    message, message_zh = i18n.error_messages(error, error.key if isinstance(error, RequestRefused) else None)
    body = error_body(error.code.name, message, message_zh, **jsonable_encoder(error.details))
    return STATUS_OF_KIND[error.code.kind], body


def domain_error_response(error: DomainError) -> JSONResponse:
    status, body = domain_error_parts(error)
    headers = None
    if status == 429:  # every 429 says when to come back, in the header and as the body's retry_after
        headers = {"Retry-After": str(int(error.details.get("retry_after", DEFAULT_RETRY_AFTER)))}
    return JSONResponse(body, status_code=status, headers=headers)


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
        plain, plain_zh = i18n.both("error.VALIDATION_FAILED")
        at, at_zh = i18n.both("http.invalid_at", where=where)
        # the framework words its finding in English only, so only the English message quotes it
        message = " ".join(part for part in (plain, at if where else "", str(first["msg"])) if part)
        return JSONResponse(
            error_body(code.name, message, plain_zh + (at_zh if where else ""), fields=fields), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: ErrorCode.NOT_FOUND, 401: ErrorCode.NOT_AUTHENTICATED}.get(error.status_code)
        if code is not None:
            body = error_body(code.name, *i18n.error_messages(DomainError(code)))
        else:
            status = str(error.status_code)
            key = HTTP_STATUSES.key(status) if status in HTTP_STATUSES.members else N_("http.other")
            # the English is the framework's own detail (it may say more than the status's name)
            body = error_body(f"HTTP_{error.status_code}", str(error.detail), i18n.t(key, "zh"))
        return JSONResponse(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, error: IntegrityError) -> JSONResponse:
        log.info("integrity conflict: %s", error.orig)
        return domain_error_response(DomainError(ErrorCode.CONFLICT))

    @app.exception_handler(OperationalError)
    async def _operational(_request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database busy: %s", error.orig)
        return JSONResponse(
            error_body(ErrorCode.CONFLICT.name, *i18n.both("http.busy")),
            status_code=503,
        )

    @app.exception_handler(DataError)
    async def _data(_request: Request, error: DataError) -> JSONResponse:
        """A value the database cannot hold (out of range, NUL in text) that validation let through: bad input."""
        log.warning("database refused a value: %s", error.orig)
        return domain_error_response(DomainError(ErrorCode.VALIDATION_FAILED))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _error: Exception) -> JSONResponse:
        """The last resort: still the JSON error shape, never a bare text page (the server logs the error).
        Answered outside the middleware, so it adds the security headers itself."""
        production = request.app.state.container.settings.env == "production"
        return JSONResponse(
            error_body("INTERNAL_ERROR", *i18n.both("http.internal")),
            status_code=500,
            headers=security_headers(production),
        )
