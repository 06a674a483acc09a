"""Request dependencies: the container, the current user (bearer token or session cookie + CSRF)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from ...bootstrap import Container
from ...domain.errors import DomainError, ErrorCode
from ...services import accounts, idempotency
from ...services.types import User
from ...services.uow import UnitOfWork, canonical_json
from ..i18n import N_
from .errors import RequestRefused, domain_error_parts

SESSION_COOKIE = "paimai_session"
CSRF_COOKIE = "paimai_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def client_address(request: Request) -> str:
    """Who is asking, for the per-address limits: the connection's peer. Behind a reverse proxy listed in
    PAIMAI_TRUSTED_PROXIES the app's ProxyHeadersMiddleware has already put the right-most address of
    X-Forwarded-For that is not a trusted proxy here; from anyone else the header is ignored."""
    return request.client.host if request.client else "unknown"


def request_token(request: Request) -> tuple[str | None, bool]:
    """(token, from_cookie). Bearer wins; a cookie-authenticated unsafe request must pass CSRF."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    return request.cookies.get(SESSION_COOKIE), True


def csrf_token(secret_key: str, session_token: str) -> str:
    """The CSRF token of a session: an HMAC of the session token under the server's secret key.

    Bound to the session and unforgeable without the key, so a cookie planted by another site (the
    weakness of a plain double-submit cookie) does not pass.
    """
    return hmac.new(secret_key.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, secret_key: str, session_token: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    # compare bytes: compare_digest refuses a str with non-ASCII characters (a 500, not a refusal)
    if not sent or not hmac.compare_digest(csrf_token(secret_key, session_token).encode(), sent.encode()):
        raise DomainError(ErrorCode.CSRF_FAILED)


def optional_user(request: Request, container: ContainerDep) -> User | None:
    token, from_cookie = request_token(request)
    if not token:
        return None
    with container.reading() as session:
        user = accounts.user_for_token(session, token, container.now())
    if user is not None and from_cookie and request.method not in SAFE_METHODS:
        check_csrf(request, container.settings.effective_secret_key, token)
    return user


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise DomainError(ErrorCode.NOT_AUTHENTICATED)
    return user


UserDep = Annotated[User, Depends(current_user)]
OptionalUserDep = Annotated[User | None, Depends(optional_user)]


def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=128,
            description="Any string up to 128 characters (a UUID, say). The first answer to a key is stored, "
            "a refusal included; the same key and request replay it (Idempotent-Replayed: true), the same key "
            "with another request is 422 IDEMPOTENCY_KEY_REUSED. Without it every request runs.",
        ),
    ] = None,
) -> str | None:
    """Declares the header on every money-moving operation (the OpenAPI document shows it); run_idempotent
    reads it."""
    return key


IDEMPOTENT = Depends(idempotency_key)


def run_idempotent(
    container: Container,
    request: Request,
    user: User,
    body: dict[str, Any],
    operation: Callable[[UnitOfWork], tuple[int, dict[str, Any]]],
) -> JSONResponse:
    """Run a money-moving operation once per Idempotency-Key; a repeat returns the first answer, a refusal
    included (services/idempotency.py)."""
    key = request.headers.get("Idempotency-Key")
    if not key:
        with container.transaction() as uow:
            status, result = operation(uow)
        return JSONResponse(jsonable_encoder(result), status_code=status)
    if len(key) > 128:
        raise RequestRefused(ErrorCode.VALIDATION_FAILED, N_("http.idempotency_key_too_long"))
    fingerprint = hashlib.sha256(
        f"{request.method} {request.url.path} {canonical_json(jsonable_encoder(body))}".encode()
    ).hexdigest()
    refusals: list[DomainError] = []

    def watched(uow: UnitOfWork) -> tuple[int, dict[str, Any]]:
        try:
            return operation(uow)
        except DomainError as error:
            refusals.append(error)  # the operation's own refusal, not the key's (IDEMPOTENCY_KEY_REUSED)
            raise

    for attempt in range(2):
        try:
            try:
                with container.transaction() as uow:
                    outcome = idempotency.run_once(uow, user.id, key, fingerprint, watched, jsonable_encoder)
            except DomainError as error:
                if not refusals or refusals[-1] is not error:
                    raise
                status, answer = domain_error_parts(error)
                with container.transaction() as uow:  # the refused transaction rolled back: store it anew
                    outcome = idempotency.store_answer(uow, user.id, key, fingerprint, status, answer)
        except IntegrityError:
            if attempt:  # a concurrent request with the same key won; the next pass replays it
                raise
            continue
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
        return JSONResponse(outcome.body, status_code=outcome.status, headers=headers)
    raise AssertionError("unreachable")
