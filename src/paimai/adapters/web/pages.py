"""Server-rendered pages (placeholder until the pages land)."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    return None
