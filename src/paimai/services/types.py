"""Stored types an adapter may hold and hand back to a service (the signed-in user), re-exported here so that
adapters never import the persistence layer themselves (an import-linter contract)."""

from __future__ import annotations

from ..persistence.models import Lot as Lot
from ..persistence.models import Order as OrderRow
from ..persistence.models import User as User

__all__ = ["Lot", "OrderRow", "User"]
