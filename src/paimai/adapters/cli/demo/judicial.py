"""The demo's judicial lots (司法拍卖, issue 9): the court of fixture.toml lists four, under RULES §7.

- **announced**: approved 13 days ago, its announcement public, bidding in four days (scheduled).
- **live, with a priority buyer**: a house announced over a month ago (30 days for real estate), bidding
  since yesterday; two verified bidders accepted the 竞买须知 and the as-is notice and paid the deposit;
  the second is the house's co-owner, registered by the court as 优先购买权人 before bidding, whose
  same-amount bid leads.
- **sold**: a car whose bidding ended four days ago with two bidders; the buyer has ten days to pay.
- **unsold 一拍**: a parking space whose bidding ended four days ago with no bid (流拍).

Each action is planned on the seeder at its own past moment, through the services the API calls, and
checked after the replay (the lots' states, their announcement times, the acceptances, the holder's lead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from ....domain.calendar import beijing_hour
from ....domain.priority import PriorityBasis
from ....domain.rules import JUDICIAL_EXTENSION_SECONDS, Category, LotKind, LotRules
from ....services import bidding, deposits, lot_reads, lots, notices_judicial, priority
from ....services.types import Lot
from ....services.uow import UnitOfWork
from .fixture import YUAN, Fixture
from .planner import DemoPlanError
from .seeder import Seeder

PHOTO_SEED = 20_000  # the judicial lots' photos are drawn from seeds of their own
ANNOUNCEMENT = (
    "杭州市上城区人民法院将于本平台公开拍卖下列财产。\n\n"
    "一、拍卖标的：{title}，按现状拍卖。\n\n"
    "二、竞买人条件：具备完全民事行为能力的自然人、法人或其他组织；须实名认证并阅读同意竞买须知。\n\n"
    "三、咨询、看样：见下方联系方式与看样安排。"
)
BIDDER_NOTICE = (
    "一、竞买人须先缴纳保证金，方可出价；未成交者的保证金于拍卖结束后解冻。\n\n"
    "二、出价不可撤回；拍卖成交后，买受人须在十日内付清余款，逾期视为悔拍，保证金不予退还。\n\n"
    "三、标的物以现状为准，法院不承担瑕疵担保责任。"
)


@dataclass(frozen=True)
class CourtLot:
    key: str
    title: str
    category: Category
    appraisal: int  # yuan
    case_number: str
    as_is: str
    viewing: str


COURT_LOTS = (
    CourtLot(
        "announced",
        "杭州市上城区某写字楼车位一个（司法拍卖）",
        Category.OTHER,
        300_000,
        "（2026）浙0102执1234号",
        "车位地面有轻微开裂。",
        "每周三下午 14:00–16:00，现场看样。",
    ),
    CourtLot(
        "live",
        "杭州市上城区某小区住宅一套（司法拍卖）",
        Category.REAL_ESTATE,
        3_000_000,
        "（2026）浙0102执恢56号",
        "卫生间有渗水，屋内物品由买受人自行清理。",
        "预约看样，工作日 9:00–17:00。",
    ),
    CourtLot(
        "sold",
        "浙A·D1234 小型轿车一辆（司法拍卖）",
        Category.VEHICLES,
        120_000,
        "（2026）浙0102执789号",
        "车辆无钥匙，行驶证缺失，过户费用由买受人承担。",
        "停放于法院停车场，预约看样。",
    ),
    CourtLot(
        "unsold",
        "杭州市上城区某商场地下车位一个（司法拍卖）",
        Category.OTHER,
        200_000,
        "（2026）浙0102执1010号",
        "车位使用权，按现状交付。",
        "每周五上午 9:00–11:00，现场看样。",
    ),
)


def plan_judicial(seeder: Seeder, fixture: Fixture) -> None:
    """Add the court's two lots to `seeder` (nothing when the fixture has no court) and their checks."""
    court = next((s for s in fixture.accounts.sellers if s.kind == "court"), None)
    if court is None:
        return
    verified = [b.username for b in fixture.accounts.bidders if b.resident_id][:2]
    now = seeder.now
    lot_ids: dict[str, int] = {}

    def create(uow: UnitOfWork, spec: CourtLot, starts_at: datetime) -> None:
        appraisal = spec.appraisal * YUAN
        start = appraisal * 70 // 100  # 一拍 at 70 % of the appraisal
        rules = LotRules(
            kind=LotKind.JUDICIAL,
            start_price=start,
            increment=start // 100,
            deposit=start // 10,  # 10 %
            starts_at=starts_at,
            ends_at=beijing_hour(starts_at, 2, fixture.lot_settings.end_hour),  # the day after tomorrow
            extension_seconds=JUDICIAL_EXTENSION_SECONDS,
            withdrawal_allowed=False,
        )
        title, category = spec.title, spec.category
        draft = lots.LotDraft(
            title=title,
            category=category,
            kind=LotKind.JUDICIAL,
            rules=rules,
            description=f"{title}。详见拍卖公告。",
            location="浙江省杭州市上城区",
            appraisal=appraisal,
            court_name=court.court_name,
            case_number=spec.case_number,
            announcement=ANNOUNCEMENT.format(title=title),
            bidder_notice=BIDDER_NOTICE,
            as_is_notice=spec.as_is,
            contact=f"{court.court_name} 执行局 {court.contact_phone}",
            viewing=spec.viewing,
        )
        seller = seeder.users[court.username]
        lot_id = lot_ids[spec.key] = lots.create_lot(uow, seller, draft).id
        seeder.add_photos(uow, seller, lot_id, category, title, PHOTO_SEED + len(lot_ids))

    def review(uow: UnitOfWork, key: str) -> None:
        lots.review_lot(uow, seeder.staff, lot_ids[key], True, None)

    def join(uow: UnitOfWork, username: str, key: str = "live") -> None:
        user = seeder.users[username]
        lot = lots.get_lot(uow.session, lot_ids[key])
        notices_judicial.accept_notice(uow, user, lot.id)  # the notices first (RULES §7), then the deposit
        seeder._afford(uow, user, lot.deposit)
        deposits.pay_deposit(uow, user, lot.id)

    def bid(uow: UnitOfWork, username: str, key: str = "live") -> None:
        user = seeder.users[username]
        lot = lots.get_lot(uow.session, lot_ids[key])
        read = lot_reads.read_lots(uow.session, [lot], user, uow.now)[0]
        bidding.place_bid(uow, user, lot.id, read.view.next_valid_amount, None)

    def register_holder(uow: UnitOfWork, username: str) -> None:
        court_user = seeder.users[court.username]
        holder = seeder.users[username]
        priority.register_holder(
            uow, court_user, lot_ids["live"], rank=1, basis=PriorityBasis.CO_OWNER, user_id=holder.id
        )

    announced, live, sold, unsold = COURT_LOTS
    # announced: listed and approved 13 days ago, bidding in four days (over 15 days' lead after approval)
    listed = beijing_hour(now, -13, 9)
    seeder.add(listed, "司法拍卖 公告中 发布", partial(create, spec=announced, starts_at=beijing_hour(now, 4, 10)))
    seeder.add(listed + timedelta(hours=2), "司法拍卖 公告中 审核", partial(review, key="announced"))
    # live: a house listed 33 days ago (30 days' lead after approval), bidding since yesterday 10:00
    listed = beijing_hour(now, -33, 9)
    starts = beijing_hour(now, -1, 10)
    seeder.add(listed, "司法拍卖 进行中 发布", partial(create, spec=live, starts_at=starts))
    seeder.add(listed + timedelta(hours=2), "司法拍卖 进行中 审核", partial(review, key="live"))
    for n, username in enumerate(verified):
        seeder.add(beijing_hour(now, -20 + n, 15), f"司法拍卖 进行中 报名 {username}", partial(join, username=username))
    if len(verified) > 1:  # the second verified bidder is the house's co-owner (优先购买权人, rank 1)
        seeder.add(
            listed + timedelta(days=3),
            "司法拍卖 进行中 登记优先购买权人",
            partial(register_holder, username=verified[1]),
        )
    for n, username in enumerate(verified):
        seeder.add(starts + timedelta(hours=1 + n), f"司法拍卖 进行中 出价 {username}", partial(bid, username=username))
    # sold and unsold: listed 30 days ago, bidding from six days ago to four days ago (closed by the due work)
    for spec in (sold, unsold):
        listed = beijing_hour(now, -30, 9)
        seeder.add(listed, f"司法拍卖 {spec.key} 发布", partial(create, spec=spec, starts_at=beijing_hour(now, -6, 10)))
        seeder.add(listed + timedelta(hours=2), f"司法拍卖 {spec.key} 审核", partial(review, key=spec.key))
    for n, username in enumerate(verified):
        seeder.add(
            beijing_hour(now, -10 + n, 15),
            f"司法拍卖 成交 报名 {username}",
            partial(join, username=username, key="sold"),
        )
        seeder.add(
            beijing_hour(now, -5, 11 + n), f"司法拍卖 成交 出价 {username}", partial(bid, username=username, key="sold")
        )
    seeder.checks.append(lambda session: broken_judicial_promises(session, lot_ids, len(verified)))


def broken_judicial_promises(session: Session, lot_ids: dict[str, int], bidders: int) -> list[str]:
    """Each way the seeded judicial lots are not what the demo promises (none: kept)."""
    if set(lot_ids) != {spec.key for spec in COURT_LOTS}:
        return [f"judicial lots not all listed: {sorted(lot_ids)}"]
    problems: list[str] = []
    announced, live = session.get(Lot, lot_ids["announced"]), session.get(Lot, lot_ids["live"])
    sold, unsold = session.get(Lot, lot_ids["sold"]), session.get(Lot, lot_ids["unsold"])
    if announced is None or live is None or sold is None or unsold is None:
        raise DemoPlanError("a judicial lot vanished")
    if bidders > 1 and (sold.status != "sold" or sold.winner_id is None):
        problems.append(f"judicial lot {sold.id}: {sold.status}, winner {sold.winner_id}")
    if unsold.status != "unsold":
        problems.append(f"judicial lot {unsold.id}: {unsold.status}, not unsold")
    holders = priority.holder_ranks(session, live.id)
    if bidders > 1 and (not holders or live.leader_id not in holders):
        problems.append(f"judicial lot {live.id}: the priority buyer does not lead ({live.leader_id}, {holders})")
    if announced.status != "scheduled" or announced.announced_at is None:
        problems.append(f"judicial lot {announced.id}: {announced.status}, announced {announced.announced_at}")
    if live.status != "live" or live.bid_count < bidders or live.announced_at is None:
        problems.append(f"judicial lot {live.id}: {live.status} with {live.bid_count} bids")
    accepted = notices_judicial.acceptance_count(session, live.id)
    if accepted != bidders:
        problems.append(f"judicial lot {live.id}: {accepted} notices accepted, {bidders} planned")
    return problems
