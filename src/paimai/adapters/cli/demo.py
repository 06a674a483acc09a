"""`paimai demo`: seed realistic demo data through the services.

Everything goes through the same services the API uses (accounts, lots, deposits, bidding, withdrawal,
lifecycle, ledger), so the ledger balances and every lot's hash-chained record verifies. The history is
planned first, then replayed in time order, each step as its own unit of work at its own (past) time:
accounts are opened weeks ago, lots are listed, reviewed, started, bid on, withdrawn from, cancelled and
closed when the scheduler would have done it. All of it runs in one database transaction, so an
interrupted seed leaves nothing behind and a second run finds either all of it or none. A refusal
(DomainError) while seeding is a bug and is not caught. Live events are not published (nobody watches
a lot that does not exist yet); pages read the state from the database.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ...bootstrap import Container
from ...domain import ledger
from ...domain.bidding import compute_standing
from ...domain.identity import check_digit
from ...domain.orders import CloseReason
from ...domain.rules import DEFAULT_EXTENSION_SECONDS, Category, LotKind, LotRules
from ...domain.withdrawal import WithdrawalScope
from ...persistence.models import Bid, Deposit, Lot, User, Withdrawal
from ...persistence.models import Order as OrderRow
from ...services import accounts, bidding, deposits, lifecycle, lots, withdrawal
from ...services import ledger as ledger_service
from ...services import orders as order_service
from ...services.uow import UnitOfWork
from ..scheduler import DueWork, work

STAFF = "staff"
SELLERS = ("seller1", "seller2")
BIDDERS = ("bidder1", "bidder2", "bidder3", "bidder4", "bidder5")
DEMO_USERS = (STAFF, *SELLERS, *BIDDERS)
ADVISORY_LOCK_KEY = 0x7061_696D_6169  # "paimai": one `paimai demo` at a time on PostgreSQL
YUAN = 100  # fen per yuan
TOP_UP = 200_000 * YUAN  # every bidder's first sandbox top-up
TOP_UP_STEP = 50_000 * YUAN  # later top-ups, when a deposit needs more than is available
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
SEED = 20261129

DISPLAY_NAMES = {
    STAFF: "拍卖平台运营",
    "seller1": "嘉禾艺术",
    "seller2": "臻品珠宝",
    "bidder1": "王建国",
    "bidder2": "李雅婷",
    "bidder3": "张明远",
    "bidder4": "陈思涵",
    "bidder5": "刘海峰",
}
SELLER_PROFILES = {
    "seller1": ("individual", "嘉禾艺术", "个人藏家，专注近现代书画、瓷器与杂项，所有拍品均可预约看样。"),
    "seller2": ("business", "臻品珠宝有限公司", "珠宝玉器、名表名包及车辆资产处置，持有营业执照，支持七天无理由退货。"),
}
# 实名认证 for three bidders: made-up resident ID numbers (the first 17 characters; the check character is computed).
REAL_NAME_IDS = {"bidder1": "11010119850312123", "bidder2": "31010419900718456", "bidder3": "44030519881105789"}
REJECT_REASONS = (
    "缺少权属证明与鉴定证书，请补充后重新提交。/ Proof of ownership and a certificate are missing.",
    "图片与描述不符，起拍价明显偏离市场价，请核实。/ Photos do not match the description; check the start price.",
)
VIEWING = "【看样】预约看样，工作日 10:00–17:00。【交付】成交后 7 日内发货或到场交付，运费由买受人承担。"


@dataclass(frozen=True)
class Template:
    """One kind of lot: text, place and a start price in yuan; increment and deposit are derived."""

    title: str
    description: str
    location: str
    start_yuan: int
    increment_pct: float = 2.0
    deposit_pct: float = 15.0


CATALOGUE: dict[Category, tuple[Template, ...]] = {
    Category.ART: (
        Template(
            "张大千（款）泼彩山水 镜心",
            "设色纸本，约 4 平尺，附出版著录复印件。画心有轻微折痕，现状拍卖。",
            "北京市东城区",
            180_000,
            2.5,
            15,
        ),
        Template(
            "当代油画《江南春雨》 布面油画 80×100cm",
            "青年画家 2019 年作品，附艺术家亲签证书，原框。",
            "杭州市西湖区",
            28_000,
            3,
            10,
        ),
        Template(
            "启功（款）行书七言联 立轴",
            "水墨纸本，每幅约 130×32cm，裱工完好，天杆略有磨损。",
            "北京市西城区",
            65_000,
            2,
            15,
        ),
        Template(
            "齐白石（款）虾趣图 镜片", "水墨纸本，约 2 平尺，钤印两方，附收藏证书。", "长沙市岳麓区", 90_000, 2, 20
        ),
        Template(
            "吴冠中（款）水墨《双燕》 小品",
            "纸本设色，约 1.5 平尺，原装镜框，来源为海外回流。",
            "上海市徐汇区",
            120_000,
            2.5,
            15,
        ),
        Template(
            "徐悲鸿（款）奔马图 立轴", "水墨纸本，约 3 平尺，题跋完整，旧裱有水渍。", "南京市鼓楼区", 150_000, 2, 15
        ),
    ),
    Category.COLLECTIBLES: (
        Template(
            "清乾隆 青花缠枝莲纹赏瓶",
            "高 37cm，口沿有一处冲线，底款“大清乾隆年制”六字三行篆书，附检测报告。",
            "景德镇市珠山区",
            88_000,
            2.5,
            15,
        ),
        Template(
            "1980 年庚申猴票 单枚 原胶全品",
            "邮票背胶完好，无折无黄，附中邮评级证书（评级 95 分）。",
            "上海市黄浦区",
            8_000,
            2.5,
            10,
        ),
        Template(
            "第三套人民币 纸币大全套（13 枚）",
            "含车工、背绿等品种，品相八至九品，附保真卡。",
            "广州市越秀区",
            16_000,
            3,
            10,
        ),
        Template(
            "明式 黄花梨 官帽椅（一对）",
            "海南黄花梨，榫卯结构，包浆自然，座面藤编为后换。",
            "苏州市姑苏区",
            260_000,
            2,
            15,
        ),
        Template(
            "顾景舟（款）紫砂石瓢壶",
            "容量约 300ml，底款“顾景舟”，盖款“景舟”，附原装锦盒。",
            "宜兴市丁蜀镇",
            45_000,
            3,
            15,
        ),
        Template(
            "1958 年上海牌 A581 机械手表",
            "原装表盘与表壳，走时正常，附原厂表带，老物件收藏。",
            "上海市静安区",
            3_500,
            3,
            10,
        ),
    ),
    Category.LUXURY: (
        Template(
            "爱马仕 Birkin 30 Togo 金扣 金棕色",
            "2021 年 Z 刻，附原装盒、防尘袋、票据，四角轻微磨损。",
            "上海市静安区",
            98_000,
            2,
            15,
        ),
        Template(
            "劳力士 宇宙计型迪通拿 116500LN 白盘",
            "2022 年保卡，全套附件，国行售后保养记录齐全。",
            "深圳市福田区",
            168_000,
            2,
            15,
        ),
        Template(
            "百达翡丽 Calatrava 5196J 黄金",
            "37mm 手动上链，2018 年购于北京专柜，附证书及表盒。",
            "北京市朝阳区",
            150_000,
            2,
            15,
        ),
        Template(
            "香奈儿 CF 经典口盖包 中号 黑色金扣",
            "羊皮，芯片款，九成新，附防尘袋与卡片。",
            "成都市锦江区",
            36_000,
            3,
            15,
        ),
        Template(
            "路易威登 Alzer 70 复古硬箱",
            "上世纪 90 年代老花硬箱，锁扣完好，内衬有使用痕迹。",
            "杭州市上城区",
            25_000,
            3,
            10,
        ),
        Template(
            "卡地亚 猎豹系列 18K 金手镯", "镶嵌祖母绿眼，17 号圈口，附卡地亚保卡。", "北京市海淀区", 80_000, 2, 15
        ),
    ),
    Category.JEWELLERY: (
        Template(
            "天然翡翠 满绿手镯 圈口 56mm",
            "种老水足，颜色均匀，附国家珠宝玉石检测中心证书（A 货）。",
            "昆明市五华区",
            380_000,
            2,
            15,
        ),
        Template(
            "和田玉 羊脂白玉 籽料手把件",
            "重约 120 克，带皮籽料，雕“福寿双全”，附新疆产地证明。",
            "乌鲁木齐市天山区",
            52_000,
            2.5,
            15,
        ),
        Template(
            "南洋金珠项链 12–14mm", "33 颗，正圆，光泽强，18K 金扣，附珍珠鉴定证书。", "深圳市罗湖区", 18_000, 3, 10
        ),
        Template(
            "GIA 2.01 克拉 D 色 VVS1 圆形钻石",
            "3EX 切工，无荧光，附 GIA 证书原件，裸石。",
            "上海市黄浦区",
            420_000,
            2,
            15,
        ),
        Template(
            "缅甸鸽血红 红宝石戒指 3.05 克拉",
            "无烧，铂金镶嵌，配钻约 0.8 克拉，附 GRS 证书。",
            "广州市荔湾区",
            260_000,
            2,
            15,
        ),
        Template("足金 999 古法手镯 50 克", "古法工艺，哑光錾花，附发票与检测报告。", "深圳市罗湖区", 28_000, 2, 10),
    ),
    Category.REAL_ESTATE: (
        Template(
            "成都市武侯区 产权地下车位 13㎡",
            "某花园小区负一层 B-118 号车位，有独立产权证，现空置。",
            "成都市武侯区",
            120_000,
            2,
            10,
        ),
        Template(
            "苏州市吴中区 临街商铺 一层 46㎡",
            "现有租约至 2027 年 6 月，月租金 4,800 元，带租拍卖。",
            "苏州市吴中区",
            680_000,
            1,
            10,
        ),
        Template(
            "昆明市呈贡区 住宅 3 室 2 厅 112㎡",
            "2015 年建成，精装修，南北通透，第 12 层（共 18 层）。",
            "昆明市呈贡区",
            980_000,
            1,
            10,
        ),
        Template(
            "三亚市海棠区 海景公寓 52㎡",
            "产权 70 年，带家具家电，步行 5 分钟到海滩。",
            "三亚市海棠区",
            1_350_000,
            1,
            10,
        ),
        Template(
            "杭州市西湖区 文三路 2 室 1 厅 78.5㎡",
            "1998 年建成，第 5 层（共 6 层），学区房，现状交付。",
            "杭州市西湖区",
            2_850_000,
            1,
            5,
        ),
        Template(
            "洛阳市涧西区 工业厂房 1,200㎡",
            "单层钢结构，层高 9 米，配 400kVA 变压器。",
            "洛阳市涧西区",
            1_600_000,
            1,
            5,
        ),
    ),
    Category.VEHICLES: (
        Template(
            "2019 款 丰田凯美瑞 2.5G 豪华版",
            "行驶 6.2 万公里，无重大事故，4S 店保养记录齐全，沪牌不随车。",
            "上海市闵行区",
            98_000,
            2,
            10,
        ),
        Template(
            "2021 款 特斯拉 Model 3 后驱升级版",
            "行驶 3.8 万公里，电池健康度 94%，原厂漆。",
            "北京市大兴区",
            150_000,
            2,
            10,
        ),
        Template(
            "2018 款 奔驰 E300L 时尚型",
            "行驶 7.5 万公里，一手车，有一次轻微刮擦维修记录。",
            "广州市天河区",
            210_000,
            2,
            10,
        ),
        Template(
            "2020 款 本田雅阁 260TURBO 精英版", "行驶 5.1 万公里，车况良好，可提档外迁。", "武汉市洪山区", 88_000, 2, 10
        ),
        Template(
            "2016 款 大众途观 1.8TSI 两驱豪华版",
            "行驶 11 万公里，变速箱已保养，现状拍卖。",
            "长春市朝阳区",
            52_000,
            2.5,
            10,
        ),
        Template(
            "2022 款 比亚迪汉 EV 创世版",
            "行驶 2.9 万公里，终身质保随车，带家用充电桩。",
            "深圳市龙岗区",
            165_000,
            2,
            10,
        ),
    ),
    Category.OTHER: (
        Template(
            "1985 年 贵州茅台酒 地方国营 500ml",
            "原箱原盒，酒线正常，封膜完好，附收藏证书。",
            "贵阳市南明区",
            16_000,
            3,
            10,
        ),
        Template(
            "索尼 A7M4 全画幅微单 + 24-70mm GM 镜头",
            "快门约 8,000 次，九成新，附原装电池两块。",
            "南京市玄武区",
            9_800,
            3,
            10,
        ),
        Template(
            "雅马哈 U1 立式钢琴", "日本产，1990 年代，已调音，音色明亮，同城可送货。", "青岛市市南区", 18_000, 3, 10
        ),
        Template(
            "商用意式咖啡机 一批（6 台）",
            "某连锁咖啡店闭店处置，均可正常使用，打包整体拍卖。",
            "厦门市思明区",
            12_000,
            3,
            10,
        ),
        Template(
            "《四库全书》影印本 一套", "文渊阁本，精装 1,500 册，书口微黄，无缺册。", "北京市海淀区", 6_800, 3, 10
        ),
        Template(
            "黄山毛峰 明前特级 2025 新茶 5 斤",
            "产地直发，真空包装，附检测报告。免保证金。",
            "黄山市徽州区",
            2_000,
            5,
            0,
        ),
    ),
}

# The order every `lot_count` walks through (30 lots: 10 live, 7 sold, 4 scheduled, 4 unsold, 2 in review,
# 1 rejected, 2 cancelled). The first seven cover every status and, with index % 7, every category.
SCENARIOS = (
    "live_closing",  # live, a bid war and two last-minute bids: ends 90 s after seeding, extended twice
    "sold",
    "scheduled",
    "unsold",  # no bids; the one deposit paid is released at close
    "pending_review",
    "rejected",
    "cancelled_live",  # live with bids, then stopped by staff (中止拍卖): every deposit released in full
    "sold_reserve",  # a hidden reserve, met
    "live_quiet",  # live, deposits but no bids yet
    "unsold_reserve",  # bids, but the hidden reserve was not met
    "live_extended",  # live, extended a minute ago: ends within a few minutes
    "scheduled_deposits",  # not started yet, bidders already registered
    "sold_sniped",  # several extensions before it sold
    "live_proxy",  # proxy maximums and a leader raising their maximum
    "sold",
    "pending_review",
    "live_ending",  # live, ends in about 20 minutes (bid in the last 5 to see an extension)
    "unsold",
    "cancelled",  # scheduled, deposits paid, withdrawn by its seller before the start (撤回拍卖)
    "live",
    "sold_sniped",
    "scheduled",
    "live_closing",  # the second one ends about four minutes after seeding
    "sold",
    "live_proxy",
    "unsold",
    "scheduled_deposits",
    "sold_reserve",
    "live",
    "live_quiet",
)
# What becomes of each sold lot's order (RULES §6), by scenario and occurrence; and how many days before
# today such a lot ends, so that every step of its story lies in the past and its deadlines fall right.
ORDER_FATES = {
    "sold": ("completed", "closed", "awaiting_payment"),
    "sold_reserve": ("shipped", "paid"),
    "sold_sniped": ("defaulted", "completed"),
}
FATE_END_DAYS = {
    "completed": (8, 20),  # paid, shipped, receipt confirmed: escrow paid to the seller
    "closed": (2, 6),  # closed by agreement (协商关闭) after a mistaken bid: no penalty
    "awaiting_payment": (1, 1),  # ended yesterday: the payment deadline is still ahead
    "shipped": (4, 6),  # paid and shipped: waiting for the buyer to confirm receipt
    "paid": (2, 3),  # paid into escrow: waiting for the seller to ship
    "defaulted": (5, 12),  # not paid by the deadline: the scheduler closed it, the deposit went to the seller
}
CARRIERS = (("顺丰速运", "SF"), ("中通快递", "ZTO"), ("京东物流", "JD"))
HANDOVER = ("线下交付", "HO")  # real estate and vehicles are handed over, not posted
# What `paimai demo` adds to existing demo data when too few of its lots are still live (a later `make run`).
LIVE_SCENARIOS = ("live_closing", "live_extended", "live_proxy", "live_ending", "live", "live_quiet")
MIN_LIVE_LOTS = 4
CANCEL_REASONS = {
    "cancelled": "委托人撤回委托，拍卖撤回。/ The consignor withdrew the lot before the auction.",
    "cancelled_live": "收到权属异议，中止拍卖，保证金全额退还。/ Ownership disputed: suspended, deposits refunded.",
}


def _nice(fen: float) -> int:
    """The closest of 1, 2, 5 × 10^k fen on a log scale, at least ¥1 (increments and fees look like these)."""
    candidates = [int(step * 10**power) for power in range(2, 13) for step in (1, 2, 5)]
    return min(candidates, key=lambda candidate: abs(math.log(candidate / max(fen, 1))))


def _two_figures(fen: float) -> int:
    """Rounded to two significant figures of yuan (e.g. ¥27,000, ¥1,200)."""
    if fen < 100:
        return 0
    yuan = round(fen / YUAN)
    scale = int(10 ** max(0, len(str(yuan)) - 2))
    return round(yuan / scale) * scale * YUAN


@dataclass(frozen=True)
class BidStep:
    at: datetime
    jump: int = 1  # the bid is the next valid amount + (jump − 1) increments
    proxy: int = 0  # a proxy maximum this many increments above the bid (0: none)
    raise_max: bool = False  # the leader raises their proxy maximum by `proxy` increments instead
    withdraw: str = ""  # "bid": the leader's 撤回出价; "auction": an outbid bidder's 撤回竞拍 (RULES §5)


@dataclass
class LotPlan:
    index: int
    scenario: str
    category: Category
    template: Template
    seller: str
    created_at: datetime
    starts_at: datetime
    ends_at: datetime  # as scheduled; the effective end comes from the bids
    reviewed_at: datetime | None = None
    reject_reason: str | None = None
    reserve_price: int | None = None
    withdrawal_allowed: bool = True
    withdrawal_fee: int = 0
    bidders: list[str] = field(default_factory=list)
    deposits: list[tuple[datetime, str]] = field(default_factory=list)
    bids: list[BidStep] = field(default_factory=list)
    close_at: datetime | None = None
    cancel_at: datetime | None = None
    cancel_by: str | None = None
    order_fate: str | None = None
    order_steps: list[tuple[datetime, str]] = field(default_factory=list)  # (time, pay|ship|confirm|…)
    start: bool = False
    lot_id: int | None = None

    @property
    def start_price(self) -> int:
        return self.template.start_yuan * YUAN

    @property
    def increment(self) -> int:
        return _nice(self.start_price * self.template.increment_pct / 100)

    @property
    def deposit(self) -> int:
        return _two_figures(self.start_price * self.template.deposit_pct / 100)

    @property
    def title(self) -> str:
        occurrence = self.index // (len(Category) * len(CATALOGUE[self.category]))
        return self.template.title if occurrence == 0 else f"{self.template.title}（第 {occurrence + 1} 件）"


@dataclass(order=True)
class Action:
    at: datetime
    order: int
    label: str = field(compare=False)
    run: Callable[[UnitOfWork], None] = field(compare=False)


def _beijing(now: datetime, day: int, hour: int) -> datetime:
    """Today + `day` at `hour`:00 Beijing time, as aware UTC."""
    local = (now.astimezone(BEIJING) + timedelta(days=day)).date()
    return datetime(local.year, local.month, local.day, hour, tzinfo=BEIJING).astimezone(UTC)


def _seconds(rng: random.Random, low: datetime, high: datetime) -> datetime:
    """A random whole second in [low, high]."""
    span = int((high - low).total_seconds())
    if span < 0:
        raise AssertionError(f"empty time range {low} … {high}")
    return (low + timedelta(seconds=rng.randint(0, span))).replace(microsecond=0)


def _effective_end(scheduled_end: datetime, times: list[datetime], window: int) -> datetime:
    """The end after auto-extension (RULES §4), as the bidding service will compute it."""
    end = scheduled_end
    for at in times:
        if at >= end:
            raise AssertionError(f"planned bid at {at} after the end {end}")
        if window and end - at < timedelta(seconds=window):
            end = at + timedelta(seconds=window)
    return end


def _bid_steps(
    rng: random.Random, count: int, low: datetime, high: datetime, *, proxies: float = 0.3, raise_max: bool = False
) -> list[BidStep]:
    times = sorted(_seconds(rng, low, high) for _ in range(count))
    steps = []
    for at in times:
        jump = rng.choices((1, 2, 3), weights=(7, 2, 1))[0]
        proxy = rng.randint(2, 6) if rng.random() < proxies else 0
        steps.append(BidStep(at, jump, proxy))
    if raise_max and count >= 3:
        at = steps[-2].at + (steps[-1].at - steps[-2].at) / 2
        steps.insert(len(steps) - 1, BidStep(at.replace(microsecond=0), proxy=rng.randint(3, 8), raise_max=True))
    return steps


def _snipes(rng: random.Random, scheduled_end: datetime, count: int) -> list[BidStep]:
    """Last-minute bids, each inside the extension window the previous one opened."""
    steps: list[BidStep] = []
    at = scheduled_end - timedelta(seconds=rng.randint(20, 200))
    for _ in range(count):
        steps.append(BidStep(at, rng.choices((1, 2), weights=(4, 1))[0]))
        at += timedelta(seconds=rng.randint(60, 270))
    return steps


def _price_bound(plan: LotPlan) -> int:
    """No price the planned bids can reach exceeds this (each step lifts the highest amount seen by at most
    jump + proxy increments)."""
    steps = sum(step.proxy if step.raise_max else step.jump + step.proxy for step in plan.bids)
    return plan.start_price + steps * plan.increment


def _plan_withdrawal(plan: LotPlan, scope: str, before: int) -> None:
    """A withdrawal halfway between bids `before - 1` and `before`, on a lot that allows it, with a fee."""
    if not 1 <= before < len(plan.bids):
        return
    earlier, later = plan.bids[before - 1].at, plan.bids[before].at
    at = (earlier + (later - earlier) / 2).replace(microsecond=0)
    plan.bids.insert(before, BidStep(at, jump=0, withdraw=scope))
    plan.withdrawal_allowed = True
    if plan.deposit:
        plan.withdrawal_fee = min(plan.deposit, _nice(plan.deposit / 10))


def _plan_lot(index: int, scenario: str, occurrence: int, now: datetime, rng: random.Random) -> LotPlan:
    """The history of lot number `index` (its category and text follow from the index), the
    `occurrence`-th lot of its scenario, as of `now`."""
    category = list(Category)[index % len(Category)]
    templates = CATALOGUE[category]
    template = templates[(index // len(Category)) % len(templates)]
    seller = "seller1" if category in (Category.ART, Category.COLLECTIBLES, Category.OTHER) else "seller2"
    window = DEFAULT_EXTENSION_SECONDS
    plan = LotPlan(index, scenario, category, template, seller, created_at=now, starts_at=now, ends_at=now)
    plan.withdrawal_allowed = category is not Category.REAL_ESTATE
    if plan.withdrawal_allowed and index % 3 == 0 and plan.deposit:
        plan.withdrawal_fee = min(plan.deposit, _nice(plan.deposit / 10))

    def listed(starts_at: datetime, ends_at: datetime, lead: timedelta) -> None:
        plan.starts_at, plan.ends_at = starts_at, ends_at
        plan.created_at = _seconds(rng, starts_at - lead - timedelta(hours=6), starts_at - lead)
        plan.reviewed_at = _seconds(rng, plan.created_at + timedelta(hours=1), plan.created_at + timedelta(hours=5))

    def registered(count: int, before: datetime) -> None:
        if plan.reviewed_at is None:
            raise AssertionError(f"lot {plan.index} registers bidders before its review")
        plan.bidders = rng.sample(BIDDERS, count)
        for username in plan.bidders:
            plan.deposits.append((_seconds(rng, plan.reviewed_at + timedelta(minutes=30), before), username))

    if scenario == "pending_review":
        plan.starts_at = _beijing(now, rng.randint(3, 6), 10)
        plan.ends_at = plan.starts_at + timedelta(days=2, hours=10)
        plan.created_at = _seconds(rng, now - timedelta(hours=20), now - timedelta(minutes=10))
        return plan
    if scenario == "rejected":
        starts_at = _beijing(now, rng.randint(4, 8), 10)
        plan.starts_at, plan.ends_at = starts_at, starts_at + timedelta(days=1, hours=10)
        plan.created_at = _seconds(rng, now - timedelta(days=4), now - timedelta(days=2))
        plan.reviewed_at = _seconds(rng, plan.created_at + timedelta(hours=2), plan.created_at + timedelta(hours=20))
        plan.reject_reason = REJECT_REASONS[index % len(REJECT_REASONS)]
        return plan
    if scenario == "cancelled":
        plan.starts_at = _beijing(now, rng.randint(1, 3), 10)
        plan.ends_at = plan.starts_at + timedelta(days=2, hours=10)
        plan.created_at = _seconds(rng, now - timedelta(days=5), now - timedelta(days=4))
        plan.reviewed_at = _seconds(rng, plan.created_at + timedelta(hours=1), plan.created_at + timedelta(hours=5))
        registered(2, now - timedelta(days=1))
        plan.cancel_at = _seconds(rng, now - timedelta(hours=20), now - timedelta(hours=2))
        plan.cancel_by = plan.seller
        return plan
    if scenario.startswith("scheduled"):
        plan.starts_at = _beijing(now, rng.randint(1, 5), 10)
        plan.ends_at = plan.starts_at + timedelta(days=rng.randint(1, 3), hours=10)
        plan.created_at = _seconds(rng, now - timedelta(days=3), now - timedelta(days=1, hours=6))
        plan.reviewed_at = _seconds(rng, plan.created_at + timedelta(hours=1), plan.created_at + timedelta(hours=5))
        if scenario == "scheduled_deposits":
            registered(rng.randint(2, 3), now - timedelta(minutes=1))
        return plan

    plan.start = True
    if scenario == "cancelled_live":
        listed(_beijing(now, -3, 10), _beijing(now, 2, 20), timedelta(days=2))
        plan.cancel_at = _seconds(rng, now - timedelta(hours=6), now - timedelta(hours=1))
        plan.cancel_by = STAFF
        plan.bids = _bid_steps(
            rng, rng.randint(3, 5), plan.starts_at + timedelta(hours=1), plan.cancel_at - timedelta(hours=1)
        )
        registered(rng.randint(2, 4), plan.bids[0].at - timedelta(minutes=1))
        return plan
    if scenario.startswith("live"):
        if scenario == "live_closing":
            # Two last-minute bids: the second, 300 s before the target end, extends the lot to it.
            target = timedelta(seconds=90 if occurrence == 0 else 240)
            second = (now + target - timedelta(seconds=window)).replace(microsecond=0)
            first = second - timedelta(seconds=rng.randint(60, 200))
            scheduled_end = first + timedelta(seconds=rng.randint(30, 120))
            listed(_beijing(now, -rng.randint(1, 2), 10), scheduled_end, timedelta(days=2))
            plan.bids = _bid_steps(
                rng, rng.randint(4, 7), plan.starts_at + timedelta(hours=1), first - timedelta(minutes=30), proxies=0.4
            )
            plan.bids += [BidStep(first), BidStep(second, 2)]
        elif scenario == "live_extended":
            snipe = (now - timedelta(seconds=rng.randint(40, 90))).replace(microsecond=0)
            scheduled_end = snipe + timedelta(seconds=rng.randint(60, 150))
            listed(_beijing(now, -1, 10), scheduled_end, timedelta(days=2))
            plan.bids = _bid_steps(
                rng, rng.randint(3, 6), plan.starts_at + timedelta(hours=1), now - timedelta(minutes=20)
            )
            plan.bids.append(BidStep(snipe))
        elif scenario == "live_ending":
            scheduled_end = (now + timedelta(minutes=20)).replace(second=0, microsecond=0)
            listed(_beijing(now, -2, 10), scheduled_end, timedelta(days=2))
            plan.bids = _bid_steps(
                rng, rng.randint(3, 6), plan.starts_at + timedelta(hours=1), now - timedelta(minutes=15)
            )
        else:
            listed(_beijing(now, -rng.randint(1, 3), 10), _beijing(now, rng.randint(1, 4), 20), timedelta(days=2))
            count = {"live": rng.randint(3, 8), "live_proxy": rng.randint(5, 9), "live_quiet": 0}[scenario]
            plan.bids = _bid_steps(
                rng,
                count,
                plan.starts_at + timedelta(minutes=30),
                now - timedelta(minutes=5),
                proxies=0.6 if scenario == "live_proxy" else 0.3,
                raise_max=scenario == "live_proxy",
            )
        if plan.bids:
            registered(rng.randint(2, 5), plan.bids[0].at - timedelta(minutes=1))
        else:
            registered(rng.randint(1, 2), now - timedelta(minutes=1))
        if scenario == "live" and occurrence == 0:
            _plan_withdrawal(plan, "bid", len(plan.bids) - 1)
        end = _effective_end(plan.ends_at, [b.at for b in plan.bids if not b.withdraw], window)
        if end <= now:
            raise AssertionError(f"lot {index} ({scenario}) would not be live")
        return plan

    # Ended lots: listed, reviewed, started, bid on and closed in the past.
    if scenario in ORDER_FATES:
        fates = ORDER_FATES[scenario]
        plan.order_fate = fates[occurrence % len(fates)]
        end_day = -rng.randint(*FATE_END_DAYS[plan.order_fate])
    else:
        end_day = -rng.randint(1, 20)
    starts_at = _beijing(now, end_day - rng.randint(1, 3), 10)
    listed(starts_at, _beijing(now, end_day, 20), timedelta(days=rng.randint(2, 4)))
    low, high = starts_at + timedelta(minutes=30), plan.ends_at - timedelta(minutes=30)
    if scenario == "unsold":
        registered(1, plan.ends_at - timedelta(hours=1))
    else:
        count = {
            "sold": rng.randint(4, 9),
            "sold_reserve": rng.randint(5, 8),
            "sold_sniped": rng.randint(5, 8),
            "unsold_reserve": rng.randint(3, 5),
        }[scenario]
        snipes = {"sold": rng.randint(0, 1), "sold_sniped": rng.randint(3, 4)}.get(scenario, 0)
        plan.bids = _bid_steps(rng, count, low, high, proxies=0.35) + _snipes(rng, plan.ends_at, snipes)
        registered(rng.randint(2, 5), plan.bids[0].at - timedelta(minutes=1))
        explicit = sum(1 for step in plan.bids if not step.raise_max)
        if scenario == "sold_reserve":
            # every accepted bid lifts the price by ≥ one increment, so this reserve is met
            plan.reserve_price = plan.start_price + max(1, explicit - 2) * plan.increment
        elif scenario == "unsold_reserve":
            plan.reserve_price = _two_figures(_price_bound(plan) * 1.25)
    if scenario == "sold" and occurrence == 0:
        _plan_withdrawal(plan, "auction", 2)
    plan.close_at = _effective_end(plan.ends_at, [b.at for b in plan.bids if not b.withdraw], window)
    if plan.close_at >= now:
        raise AssertionError(f"lot {index} ({scenario}) would not have ended")
    _plan_order(plan, rng, now)
    return plan


def _plan_order(plan: LotPlan, rng: random.Random, now: datetime) -> None:
    """The buyer's and the seller's steps after the sale; deadlines (default) are the scheduler's."""
    if plan.order_fate is None or plan.close_at is None:
        return
    at = plan.close_at

    def later(low: timedelta, high: timedelta) -> datetime:
        return _seconds(rng, at + low, at + high)

    steps: list[tuple[datetime, str]] = []
    if plan.order_fate in ("completed", "shipped", "paid"):
        at = later(timedelta(hours=2), timedelta(hours=10))
        steps.append((at, "pay"))
    if plan.order_fate in ("completed", "shipped"):
        at = later(timedelta(hours=20), timedelta(days=2))
        steps.append((at, "ship"))
    if plan.order_fate == "completed":
        at = later(timedelta(days=2), timedelta(days=4))
        steps.append((at, "confirm"))
    if plan.order_fate == "closed":
        at = later(timedelta(hours=1), timedelta(hours=5))
        steps.append((at, "request_close"))
        at = later(timedelta(hours=2), timedelta(hours=8))
        steps.append((at, "accept_close"))
    if steps and steps[-1][0] >= now:
        raise AssertionError(f"lot {plan.index}: the order's {steps[-1][1]} would be in the future")
    plan.order_steps = steps


class DemoConflict(Exception):
    """The database holds some of the demo accounts but not as the demo made them."""


class Seeder:
    """Plans the demo history, then replays it through the services in time order, in one transaction."""

    def __init__(
        self, container: Container, password: str, now: datetime, seed: int, user_ids: dict[str, int] | None = None
    ) -> None:
        self.container = container
        self.password = password
        self.now = now
        self.rng = random.Random(seed)
        self.user_ids: dict[str, int] = dict(user_ids or {})
        self.actions: list[Action] = []
        self.plans: list[LotPlan] = []

    def plan_lots(self, first_index: int, scenarios: Sequence[str]) -> None:
        seen: Counter[str] = Counter()
        for offset, scenario in enumerate(scenarios):
            self.plans.append(_plan_lot(first_index + offset, scenario, seen[scenario], self.now, self.rng))
            seen[scenario] += 1
        for plan in self.plans[-len(scenarios) :]:
            self.plan_lot(plan)

    # ---- helpers run inside one transaction ---------------------------------------------------

    def user(self, uow: UnitOfWork, username: str) -> User:
        user = uow.session.get(User, self.user_ids[username])
        if user is None:
            raise AssertionError(f"demo user {username} vanished")
        return user

    def lot_id(self, plan: LotPlan) -> int:
        if plan.lot_id is None:
            raise AssertionError(f"lot {plan.index} used before it was created")
        return plan.lot_id

    def add(self, at: datetime, label: str, run: Callable[[UnitOfWork], None]) -> None:
        self.actions.append(Action(at, len(self.actions), label, run))

    # ---- the plan as actions ------------------------------------------------------------------

    def plan_accounts(self) -> None:
        opened = _beijing(self.now, -40, 9)

        def register(username: str, *, is_staff: bool = False) -> Callable[[UnitOfWork], None]:
            def run(uow: UnitOfWork) -> None:
                user = accounts.register(uow, username, self.password, DISPLAY_NAMES[username], is_staff=is_staff)
                self.user_ids[username] = user.id

            return run

        def apply(username: str) -> Callable[[UnitOfWork], None]:
            def run(uow: UnitOfWork) -> None:
                kind, name, description = SELLER_PROFILES[username]
                application = accounts.apply_to_sell(uow, self.user(uow, username), kind, name, description)
                staff_user = self.user(uow, STAFF)
                accounts.decide_application(uow, staff_user, application.id, True, "资料齐全，审核通过。")

            return run

        def top_up(username: str) -> Callable[[UnitOfWork], None]:
            return lambda uow: self._top_up(uow, username, TOP_UP)

        def verify(username: str, first17: str) -> Callable[[UnitOfWork], None]:
            def run(uow: UnitOfWork) -> None:
                id_number = first17 + check_digit(first17)
                accounts.verify_real_name(uow, self.user_ids[username], DISPLAY_NAMES[username], id_number)

            return run

        self.add(opened, "账号 staff", register(STAFF, is_staff=True))
        for n, username in enumerate((*SELLERS, *BIDDERS), start=1):
            self.add(opened + timedelta(minutes=7 * n), f"账号 {username}", register(username))
        for n, username in enumerate(SELLERS, start=1):
            self.add(opened + timedelta(days=1, hours=n), f"卖家审核 {username}", apply(username))
        for n, username in enumerate(BIDDERS, start=1):
            self.add(opened + timedelta(days=2, minutes=13 * n), f"充值 {username}", top_up(username))
        for n, (username, first17) in enumerate(REAL_NAME_IDS.items(), start=1):
            self.add(opened + timedelta(days=3, hours=n), f"实名认证 {username}", verify(username, first17))

    def _top_up(self, uow: UnitOfWork, username: str, amount: int) -> None:
        ledger_service.post(uow, ledger.top_up(self.user_ids[username], amount))

    def plan_lot(self, plan: LotPlan) -> None:
        name = f"拍品 {plan.index + 1}"
        self.add(plan.created_at, f"{name} 发布", lambda uow: self._create(uow, plan))
        if plan.reviewed_at is not None:
            self.add(plan.reviewed_at, f"{name} 审核", lambda uow: self._review(uow, plan))
        if plan.start:
            self.add(plan.starts_at, f"{name} 开拍", lambda uow: self._advance(uow, plan, "live"))
        for at, username in plan.deposits:
            self.add(at, f"{name} 保证金", self._deposit_action(plan, username))
        for step in plan.bids:
            self.add(step.at, f"{name} 出价", self._bid_action(plan, step))
        if plan.close_at is not None:
            self.add(plan.close_at, f"{name} 结束", lambda uow: self._advance(uow, plan, "sold", "unsold"))
        if plan.cancel_at is not None:
            self.add(plan.cancel_at, f"{name} 撤回", lambda uow: self._cancel(uow, plan))
        for at, order_step in plan.order_steps:
            self.add(at, f"{name} 订单 {order_step}", self._order_action(plan, order_step))

    def _create(self, uow: UnitOfWork, plan: LotPlan) -> None:
        rules = LotRules(
            kind=LotKind.COMMERCIAL,
            start_price=plan.start_price,
            increment=plan.increment,
            deposit=plan.deposit,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            reserve_price=plan.reserve_price,
            extension_seconds=DEFAULT_EXTENSION_SECONDS,
            withdrawal_allowed=plan.withdrawal_allowed,
            withdrawal_fee=plan.withdrawal_fee,
        )
        description = f"{plan.template.description}\n\n{VIEWING}"
        draft = lots.LotDraft(
            title=plan.title,
            category=plan.category,
            kind=LotKind.COMMERCIAL,
            rules=rules,
            description=description,
            location=plan.template.location,
        )
        plan.lot_id = lots.create_lot(uow, self.user(uow, plan.seller), draft).id

    def _review(self, uow: UnitOfWork, plan: LotPlan) -> None:
        approve = plan.reject_reason is None
        lots.review_lot(
            uow, self.user(uow, STAFF), self.lot_id(plan), approve, plan.reject_reason if not approve else None
        )

    def _advance(self, uow: UnitOfWork, plan: LotPlan, *expected: str) -> None:
        lot_id = self.lot_id(plan)
        if not lifecycle.advance_lot(uow, lot_id):
            raise AssertionError(f"lot {lot_id} did not move at {uow.now}")
        status = lots.get_lot(uow.session, lot_id).status
        if status not in expected:
            raise AssertionError(f"lot {lot_id} ({plan.scenario}) is {status}, expected {' or '.join(expected)}")

    def _order_action(self, plan: LotPlan, step: str) -> Callable[[UnitOfWork], None]:
        def run(uow: UnitOfWork) -> None:
            lot = lots.get_lot(uow.session, self.lot_id(plan))
            order = uow.session.scalar(select(OrderRow).where(OrderRow.lot_id == lot.id))
            if order is None:
                raise AssertionError(f"lot {lot.id} ({plan.scenario}) has no order to {step}")
            buyer = uow.session.get(User, order.buyer_id)
            seller = uow.session.get(User, order.seller_id)
            if buyer is None or seller is None:
                raise AssertionError(f"order {order.id} lost its buyer or seller")
            if step == "pay":
                due = order.price - order.deposit
                available = ledger_service.wallet(uow.session, buyer.id)["available"]
                if available < due:  # the buyer tops up the balance first
                    self._top_up(uow, buyer.username, -(-(due - available) // TOP_UP_STEP) * TOP_UP_STEP)
                order_service.pay(uow, buyer, order.id)
            elif step == "ship":
                handover = plan.category in (Category.REAL_ESTATE, Category.VEHICLES)
                carrier, prefix = HANDOVER if handover else self.rng.choice(CARRIERS)
                tracking = f"{prefix}{self.rng.randint(10**11, 10**12 - 1)}"
                order_service.ship(uow, seller, order.id, carrier, tracking)
            elif step == "confirm":
                order_service.confirm_receipt(uow, buyer, order.id)
            elif step == "request_close":
                order_service.request_close(
                    uow, buyer, order.id, CloseReason.MISTAKEN_BID, "误拍，多输了一个零，申请协商关闭。"
                )
            elif step == "accept_close":
                order_service.accept_close(uow, seller, order.id)
            else:
                raise AssertionError(f"unknown order step {step}")

        return run

    def run_due_orders(self, session: Session, until: datetime) -> None:
        """What the scheduler would have done up to `until`: payment reminders, defaults at the deadline,
        auto-confirmations, lapsed offers — each at the moment it fell due, earliest first (lots are
        started and closed by the seeder's own planned actions)."""
        DueWork.in_session(session, self.container.platform, kinds=(work.ORDERS, work.OFFERS)).run(until)

    def unit(self, session: Session, at: datetime) -> UnitOfWork:
        return UnitOfWork(session, at, platform=self.container.platform)

    def _cancel(self, uow: UnitOfWork, plan: LotPlan) -> None:
        if plan.cancel_by is None:
            raise AssertionError(f"lot {plan.index} cancelled by nobody")
        actor = self.user(uow, plan.cancel_by)
        lifecycle.cancel_lot(uow, actor, self.lot_id(plan), CANCEL_REASONS[plan.scenario])

    def _deposit_action(self, plan: LotPlan, username: str) -> Callable[[UnitOfWork], None]:
        return lambda uow: self._ensure_deposit(uow, plan, username)

    def _ensure_deposit(self, uow: UnitOfWork, plan: LotPlan, username: str) -> None:
        """Freeze the lot's deposit (or what is missing of it); a no-op when it is frozen in full."""
        user = self.user(uow, username)
        lot_id = self.lot_id(plan)
        held = deposits.frozen_deposit(uow.session, lot_id, user.id)
        missing = plan.deposit - (held.amount if held is not None else 0)
        if held is not None and missing <= 0:
            return
        available = ledger_service.wallet(uow.session, user.id)["available"]
        if available < missing:  # the bidder tops up first, as a real one would
            shortfall = missing - available
            self._top_up(uow, username, -(-shortfall // TOP_UP_STEP) * TOP_UP_STEP)
        deposits.pay_deposit(uow, user, lot_id)

    def _bid_action(self, plan: LotPlan, step: BidStep) -> Callable[[UnitOfWork], None]:
        def run(uow: UnitOfWork) -> None:
            lot = lots.get_lot(uow.session, self.lot_id(plan))
            if step.withdraw:
                self._withdraw(uow, plan, lot, WithdrawalScope(step.withdraw))
                return
            if step.raise_max:
                standing = compute_standing(lots.load_snapshot(uow.session, lot).submissions, lots.rules_of(lot))
                if standing.leader_id is None or standing.leader_max is None or standing.price is None:
                    raise AssertionError(f"lot {lot.id}: a maximum raise with no leader")
                leader = uow.session.get(User, standing.leader_id)
                if leader is None:
                    raise AssertionError(f"lot {lot.id}: the leader's account is missing")
                bidding.place_bid(uow, leader, lot.id, standing.price, standing.leader_max + step.proxy * lot.increment)
                return
            candidates = [name for name in plan.bidders if self.user_ids[name] != lot.leader_id]
            username = self.rng.choice(candidates)
            self._ensure_deposit(uow, plan, username)  # again, after a withdrawal took a fee or released it
            next_valid = lot.start_price if lot.current_price is None else lot.current_price + lot.increment
            amount = next_valid + (step.jump - 1) * lot.increment
            maximum = amount + step.proxy * lot.increment if step.proxy else None
            bidding.place_bid(uow, self.user(uow, username), lot.id, amount, maximum)

        return run

    def _withdraw(self, uow: UnitOfWork, plan: LotPlan, lot: Lot, scope: WithdrawalScope) -> None:
        """撤回出价 by the leader, or 撤回竞拍 by an outbid bidder who still has active bids."""
        if scope is WithdrawalScope.BID:
            bidder_id = lot.leader_id
        else:
            active = set(
                uow.session.scalars(
                    select(Bid.bidder_id).where(Bid.lot_id == lot.id, Bid.status == "active", Bid.seq.is_not(None))
                )
            )
            outbid = sorted(active - {lot.leader_id})
            bidder_id = outbid[0] if outbid else None
        if bidder_id is None:
            raise AssertionError(f"lot {lot.id}: nobody to withdraw ({scope.value})")
        user = uow.session.get(User, bidder_id)
        if user is None:
            raise AssertionError(f"lot {lot.id}: the bidder's account is missing")
        limit = self.container.platform.withdrawal_quota_per_day
        withdrawal.withdraw(uow, user, lot.id, scope, None, confirm=True, limit=limit)

    # ---- running ------------------------------------------------------------------------------

    def run(self, session: Session, *, progress: bool = True) -> None:
        """Replay every planned action, each as its own unit of work at its own time, in `session`'s
        transaction: the caller commits once, so an interrupted seed leaves nothing behind."""
        self.actions.sort()
        columns = (
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True), disable=not progress) as bar:
            task = bar.add_task("演示数据 demo data", total=len(self.actions))
            for action in self.actions:
                bar.update(task, description=f"演示数据 demo data · {action.label}")
                self.run_due_orders(session, action.at)
                action.run(self.unit(session, action.at))
                bar.advance(task)
            self.run_due_orders(session, self.now)
            bar.update(task, description="演示数据 demo data · 完成 done")


def _lock_demo(session: Session) -> None:
    """Two `paimai demo` at once on PostgreSQL: the second waits, then sees the first one's data.
    (SQLite's BEGIN IMMEDIATE already serialises them.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


def seed(container: Container, lot_count: int = 30, password: str = "paimai-demo", *, progress: bool = True) -> str:  # noqa: S107
    """Seed the demo data, or top up what is missing; return a summary.

    - An empty database (none of the demo accounts): accounts, wallets and `lot_count` lots.
    - All demo accounts present: nothing, unless fewer than MIN_LIVE_LOTS of the demo lots are still
      live (time has passed since the first seed); then a fresh set of live lots is added.
    - Some demo accounts present but not all, or not as the demo makes them: DemoConflict, nothing written.
    """
    if lot_count < 1:
        raise ValueError("lot_count must be at least 1")
    now = container.now()
    session = container.sessions()
    added = ""
    try:
        with session.begin():
            _lock_demo(session)
            existing = dict(session.execute(select(User.username, User.id).where(User.username.in_(DEMO_USERS))).all())
            if not existing:
                seeder = Seeder(container, password, now, SEED)
                seeder.plan_accounts()
                seeder.plan_lots(0, [SCENARIOS[index % len(SCENARIOS)] for index in range(lot_count)])
                seeder.run(session, progress=progress)
                added = f"demo data created / 演示数据已生成 ({lot_count} lots)"
            else:
                _check_demo_accounts(session, existing)
                seller_ids = [existing[name] for name in SELLERS]
                demo_lots = session.scalar(select(func.count()).select_from(Lot).where(Lot.seller_id.in_(seller_ids)))
                live = session.scalar(
                    select(func.count())
                    .select_from(Lot)
                    .where(Lot.seller_id.in_(seller_ids), Lot.status == "live", Lot.ends_at > now)
                )
                if (live or 0) >= MIN_LIVE_LOTS:
                    added = f"demo data already present ({live} lots live); nothing added / 演示数据已存在，未做改动"
                else:
                    first = int(demo_lots or 0)
                    seeder = Seeder(container, password, now, SEED + first, existing)
                    seeder.plan_lots(first, LIVE_SCENARIOS)
                    seeder.run(session, progress=progress)
                    added = (
                        f"demo data already present; only {live or 0} lots were still live, so "
                        f"{len(LIVE_SCENARIOS)} live lots were added"
                        f" / 演示数据已存在，补充了 {len(LIVE_SCENARIOS)} 件正在拍卖的拍品"
                    )
    finally:
        session.close()
    return added + "\n" + summary(container, password)


def _check_demo_accounts(session: Session, existing: dict[str, int]) -> None:
    missing = [name for name in DEMO_USERS if name not in existing]
    problems = [f"missing {', '.join(missing)}"] if missing else []
    users = {user.username: user for user in session.scalars(select(User).where(User.id.in_(existing.values())))}
    if STAFF in users and not users[STAFF].is_staff:
        problems.append(f"'{STAFF}' is not staff")
    problems += [
        f"'{name}' is not an approved seller"
        for name in SELLERS
        if name in users and users[name].seller_status != "approved"
    ]
    if problems:
        raise DemoConflict(
            "this database has some of the demo accounts but not as `paimai demo` makes them ("
            + "; ".join(problems)
            + "); use an empty database / 数据库中已有部分同名账号，请使用空数据库"
        )


def summary(container: Container, password: str) -> str:
    """What the database holds now, for the person who ran `paimai demo`."""
    with container.reading() as session:
        by_status = Counter(dict(session.execute(select(Lot.status, func.count()).group_by(Lot.status)).all()))
        by_category = Counter(dict(session.execute(select(Lot.category, func.count()).group_by(Lot.category)).all()))
        bids = session.scalar(select(func.count()).select_from(Bid).where(Bid.seq.is_not(None))) or 0
        proxies = session.scalar(select(func.count()).select_from(Bid).where(Bid.kind == "proxy")) or 0
        extended = session.scalar(select(func.count()).select_from(Lot).where(Lot.extensions > 0)) or 0
        deposit_count = session.scalar(select(func.count()).select_from(Deposit)) or 0
        withdrawals = session.scalar(select(func.count()).select_from(Withdrawal)) or 0
        orders = Counter(dict(session.execute(select(OrderRow.status, func.count()).group_by(OrderRow.status)).all()))
        users = list(session.scalars(select(User).where(User.username.in_(DEMO_USERS)).order_by(User.id)))
        wallets = {user.id: ledger_service.wallet(session, user.id) for user in users}
    statuses = ("live", "scheduled", "sold", "unsold", "cancelled", "pending_review", "rejected")
    lines = [
        f"  lots 拍品: {sum(by_status.values())} — " + " · ".join(f"{s} {by_status[s]}" for s in statuses),
        "  categories 类别: " + " · ".join(f"{c.value} {by_category[c.value]}" for c in Category),
        f"  bids 出价: {bids} (proxy 代理 {proxies}; {extended} lots extended 延时; {withdrawals} withdrawals 撤回)"
        f" · deposits 保证金: {deposit_count}",
        "  orders 订单: " + (" · ".join(f"{status} {count}" for status, count in sorted(orders.items())) or "none"),
        f"  accounts 账号 (password 密码: {password}):",
    ]
    for user in users:
        line = f"    {user.username:<8} {user.display_name}（{', '.join(accounts.roles(user))}）"
        if user.username in BIDDERS:
            wallet = wallets[user.id]
            line += f" wallet 钱包 ¥{wallet['available'] // YUAN:,} available · ¥{wallet['frozen'] // YUAN:,} frozen"
        lines.append(line)
    lines.append("  next 下一步: paimai serve  →  http://127.0.0.1:8000")
    return "\n".join(lines)
