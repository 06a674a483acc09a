"""The closing summary of `paimai demo`: what the database holds now, the accounts and how to go on."""

from __future__ import annotations

from ....bootstrap import Container
from ....domain.lots import LotStatus
from ....domain.rules import Category
from ....services import accounts, demo_support
from ....services import ledger as ledger_service
from .fixture import YUAN, Fixture

SHOWN_STATUSES = (
    LotStatus.LIVE,
    LotStatus.SCHEDULED,
    LotStatus.SOLD,
    LotStatus.UNSOLD,
    LotStatus.CANCELLED,
    LotStatus.PENDING_REVIEW,
    LotStatus.REJECTED,
)
# `make run` serves right after the demo; anyone else starts the server from the project's .venv.
NEXT_STEP = "  next 下一步: make run (or .venv/bin/paimai serve)  →  http://127.0.0.1:8000"


def summary(container: Container, fixture: Fixture, password: str) -> str:
    """What the database holds now, for the person who ran `paimai demo`."""
    with container.reading() as session:
        counts = demo_support.platform_counts(session)
        users = demo_support.users_named(session, fixture.accounts.usernames)
        wallets = {name: ledger_service.wallet(session, user.id) for name, user in users.items()}
    by_status, by_category = counts.lots_by_status, counts.lots_by_category
    lines = [
        f"  lots 拍品: {sum(by_status.values())} — "
        + " · ".join(f"{s.value} {by_status[s.value]}" for s in SHOWN_STATUSES),
        "  categories 类别: " + " · ".join(f"{c.value} {by_category[c.value]}" for c in Category),
        f"  bids 出价: {counts.bids} (proxy 代理 {counts.proxy_bids}; {counts.extended_lots} lots extended 延时; "
        f"{counts.withdrawals} withdrawals 撤回) · deposits 保证金: {counts.deposits}",
        "  orders 订单: "
        + (" · ".join(f"{status} {n}" for status, n in sorted(counts.orders_by_status.items())) or "none"),
        f"  accounts 账号 (password 密码: {password}):",
    ]
    for username, user in users.items():
        line = f"    {username:<8} {user.display_name}（{', '.join(accounts.roles(user))}）"
        if username in fixture.bidders:
            wallet = wallets[username]
            line += f" wallet 钱包 ¥{wallet['available'] // YUAN:,} available · ¥{wallet['frozen'] // YUAN:,} frozen"
        lines.append(line)
    lines.append(NEXT_STEP)
    return "\n".join(lines)
