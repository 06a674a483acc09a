"""The closing summary of `paimai demo`: what the database holds now, the accounts, what to open in the
sellers' and staff's workplace (and as whom), and how to go on."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy.orm import Session

from ....bootstrap import Container
from ....domain.lots import LotStatus
from ....domain.rules import Category
from ....services import accounts, demo_support, selling, staff_audit
from ....services import ledger as ledger_service
from ....services import wallet as wallet_service
from ....services.types import User
from .fixture import YUAN, Fixture

SHOWN_STATUSES = (
    LotStatus.DRAFT,
    LotStatus.LIVE,
    LotStatus.SUSPENDED,
    LotStatus.SCHEDULED,
    LotStatus.SOLD,
    LotStatus.UNSOLD,
    LotStatus.CANCELLED,
    LotStatus.PENDING_REVIEW,
    LotStatus.REJECTED,
)
AUDIT_LIMIT = 10_000  # more than a demo's staff ever decide
# `make run` serves right after the demo; anyone else starts the server from the project's .venv.
NEXT_STEP = (
    "  next 下一步: make run  (or: .venv/bin/paimai serve --port 8000;  another port: make run PORT=8101)"
    "  →  http://127.0.0.1:8000"
)


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
    with container.reading() as session:
        lines += workplace_lines(session, fixture, users, container.now())
    lines.append(NEXT_STEP)
    return "\n".join(lines)


def _open(account: str, path: str, what: str) -> str:
    return f"    {account:<10} {path:<22} {what}"


def workplace_lines(session: Session, fixture: Fixture, users: dict[str, User], now: datetime) -> list[str]:
    """What to open in the sellers' and staff's workplace, and which account to sign in with (read from the
    database, so a later run says the same); nothing when the workplace is not there."""
    place = fixture.workplace
    people = demo_support.users_named(session, place.usernames)
    staff = users.get(fixture.accounts.staff.username)
    if staff is None or not people:
        return []
    applications = accounts.list_applications(session, None)
    waiting = [a for a in applications if a.status == "pending"]
    names = {user.id: name for name, user in {**users, **people}.items()}
    retried = [
        names[a.user_id] for a in waiting
        if any(b.user_id == a.user_id and b.status == "rejected" for b in applications)
    ]  # fmt: skip
    who = ", ".join(names.get(a.user_id, "?") for a in waiting)
    queue = f"{len(waiting)} applications to sell waiting 待审核 ({who})"
    if retried:
        queue += f"; {', '.join(retried)} applied again after a rejection (tab 已驳回 rejected)"
    lines = [
        "  workplace 工作台 — sign in as 登录 …, open 打开 … (password as above):",
        _open(staff.username, "/staff/applications", queue + ", each with its document"),
    ]
    for frozen in place.frozen:
        user = people.get(frozen.username)
        if user is not None and user.frozen_at is not None:
            what = f"{frozen.username} {user.display_name} frozen 已冻结 by staff, with the reason (cannot sign in)"
            lines.append(_open(staff.username, f"/staff/users/{user.id}", what))
    entries = staff_audit.search(session, staff_audit.AuditQuery(actor=staff.username), limit=AUDIT_LIMIT)
    actions = Counter(str(entry["action"]) for entry in entries)
    decisions = " · ".join(f"{action} {n}" for action, n in sorted(actions.items()))
    lines.append(_open(staff.username, "/staff/audit", f"{sum(actions.values())} decisions 操作日志: {decisions}"))
    shown = (selling.Shelf.DRAFT, selling.Shelf.IN_REVIEW, selling.Shelf.REJECTED)
    for seller in dict.fromkeys(lot.seller for lot in place.lots):
        if seller in users:
            shelves = selling.my_lots(session, users[seller], now)
            counts = " · ".join(f"{shelf} {len(shelves[shelf])}" for shelf in shown)
            what = f"我的拍品 {counts} (rejected: staff's reason shown, mend and resubmit)"
            lines.append(_open(seller, "/sell/lots", what))
    for court in (s for s in fixture.accounts.sellers if s.kind == "court" and s.username in users):
        shelves = selling.my_lots(session, users[court.username], now)
        for lot in sorted(
            (lot for shelf in shelves.values() for lot in shelf if lot.kind == "judicial"), key=lambda x: x.id
        ):
            what = f"司法管理 court desk: {lot.status} · 报名 {lot.deposit_count} · {lot.title}"
            lines.append(_open(court.username, f"/sell/lots/{lot.id}/court", what))
            if lot.status == "sold":
                what = "成交确认书 confirmation of sale, public: buyer named, ID masked; PDF linked"
                lines.append(_open("anyone", f"/lots/{lot.id}/confirmation", what))
    cash_out = place.cash_out
    done = wallet_service.cash_outs(session, users[cash_out.seller].id, 1, None) if cash_out.seller in users else []
    if done:
        paid = done[0]
        what = f"cash-out 提现 ¥{paid.amount / YUAN:,.0f} {paid.status} to {paid.bank_name} {paid.number_masked}"
        lines.append(_open(cash_out.seller, "/me", what))
    for applicant in place.applicants:
        user = people.get(applicant.username)
        if user is not None:
            what = f"我要卖: the application as its applicant sees it ({user.seller_status})"
            lines.append(_open(applicant.username, "/sell", what))
    return lines
