"""A cap on request bodies: nothing the API takes is anywhere near it, so a larger body is refused (413)
before it is read into memory. The upload routes (photos, documents) have their own, larger cap: the
configured largest file plus room for the multipart framing; the service refuses a larger file itself."""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import i18n

MAX_BODY_BYTES = 1_000_000
UPLOAD_PATHS = re.compile(r"^/api/v1/(lots/[0-9]+/images|me/seller-application/documents)$")
MULTIPART_ROOM = 64 * 1024


def _refusal(max_bytes: int) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    message, message_zh = i18n.both("http.body_too_large", max_bytes=max_bytes)
    body = json.dumps(
        {
            "error": {
                "code": "REQUEST_TOO_LARGE",
                "message": message,
                "message_zh": message_zh,
                "max_bytes": max_bytes,
            }
        },
        ensure_ascii=False,
    ).encode()
    return body, [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]


class BodySizeLimit:
    """Refuse by Content-Length at once; for a body sent without one, stop reading once it passes the cap."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, upload_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = max(max_bytes, upload_bytes + MULTIPART_ROOM)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.upload_bytes if UPLOAD_PATHS.match(scope.get("path", "")) else self.max_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            await self._refuse(send, cap)
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
            if received > cap:
                await self._refuse(send, cap)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(send: Send, max_bytes: int) -> None:
        body, headers = _refusal(max_bytes)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
