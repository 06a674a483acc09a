"""GET /api/v1/lots/{id}/events: Server-Sent Events, `id:` = the lot's sequence number.

A client that reconnects sends Last-Event-ID and receives what it missed from the record first;
a gap in what the bus delivers (pub/sub is lossy) is filled from the record too.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ...domain.errors import ErrorCode
from ...services import lot_reads, record
from ..http.deps import ContainerDep, OptionalUserDep
from ..http.errors import RequestRefused
from ..http.schemas import MAX_ID, Id
from ..i18n import N_

router = APIRouter(prefix="/api/v1")
MAX_CONNECTION_SECONDS = 30 * 60


def format_event(payload: dict[str, Any]) -> str:
    return f"id: {payload['seq']}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


@router.get(
    "/lots/{lot_id}/events",
    tags=["live"],
    response_class=StreamingResponse,
    responses={200: {"description": "The lot's events as Server-Sent Events", "content": {"text/event-stream": {}}}},
    openapi_extra={
        "parameters": [
            {
                "name": "Last-Event-ID",
                "in": "header",
                "required": False,
                "description": "the last `id:` (sequence number) received: the stream resumes after it",
                "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"},
            }
        ]
    },
)
async def lot_events(
    lot_id: Id,
    request: Request,
    container: ContainerDep,
    viewer: OptionalUserDep,
    last_event_id: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> StreamingResponse:
    header = request.headers.get("Last-Event-ID")
    if header is not None:
        value = header.strip()
        # ASCII digits only: str.isdigit() also passes '²', which int() refuses (a 500)
        if not (value.isascii() and value.isdigit() and len(value) <= 19 and int(value) <= MAX_ID):
            raise RequestRefused(ErrorCode.VALIDATION_FAILED, N_("http.last_event_id_invalid"))
        last_event_id = int(value)

    def current_seq() -> int:
        with container.reading() as session:  # who may read the lot, as every other read decides it
            return lot_reads.readable_lot(session, lot_id, lot_reads.reader_of(viewer)).seq

    seq_now = await run_in_threadpool(current_seq)
    start = seq_now if last_event_id is None else min(last_event_id, seq_now)

    def missed(after: int) -> list[dict[str, Any]]:
        with container.reading() as session:
            return record.events_after(session, lot_id, after)

    async def stream() -> AsyncIterator[str]:
        subscription = container.bus.subscribe(lot_id)
        opened = time.monotonic()
        last = start
        try:
            yield f"retry: 2000\n: connected seq={seq_now}\n\n"
            for payload in await run_in_threadpool(missed, last):
                yield format_event(payload)
                last = payload["seq"]
            while time.monotonic() - opened < MAX_CONNECTION_SECONDS:
                if await request.is_disconnected():
                    break
                live = await subscription.get(container.settings.sse_keepalive_seconds)
                if live is None:
                    backlog = await run_in_threadpool(missed, last)
                    if not backlog:
                        yield ": keep-alive\n\n"
                    for item in backlog:
                        yield format_event(item)
                        last = item["seq"]
                    continue
                seq = int(live["seq"])
                if seq <= last:
                    continue
                if seq > last + 1:
                    for item in await run_in_threadpool(missed, last):
                        yield format_event(item)
                        last = item["seq"]
                    continue
                yield format_event(live)
                last = seq
        finally:
            subscription.close()

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
