"""A cap on request bodies: nothing the API takes is anywhere near it, so a larger body is refused (413)
before it is read into memory."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import i18n

MAX_BODY_BYTES = 1_000_000


def _refusal() -> tuple[bytes, list[tuple[bytes, bytes]]]:
    message, message_zh = i18n.both("http.body_too_large", max_bytes=MAX_BODY_BYTES)
    body = json.dumps(
        {
            "error": {
                "code": "REQUEST_TOO_LARGE",
                "message": message,
                "message_zh": message_zh,
                "max_bytes": MAX_BODY_BYTES,
            }
        },
        ensure_ascii=False,
    ).encode()
    return body, [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]


class BodySizeLimit:
    """Refuse by Content-Length at once; for a body sent without one, stop reading once it passes the cap."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        # Read the body first (at most the cap plus one chunk), then hand it to the app as it arrived.
        buffered: list[Message] = []
        received = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(send: Send) -> None:
        body, headers = _refusal()
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
