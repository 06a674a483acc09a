"""Rendering codes and parameters into words: money in yuan, times in Beijing time, the fuller wording only
when the error carries what it names, and the error body's details left as the domain gave them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from paimai.adapters import i18n
from paimai.adapters.http.errors import RequestRefused, domain_error_response
from paimai.domain.errors import DomainError, ErrorCode
from paimai.domain.lots import LotAction, LotStatus, transition
from paimai.domain.rules import LotKind, LotProblem, LotRules

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


def test_money_is_shown_in_yuan_and_kept_in_fen_in_the_body() -> None:
    error = DomainError(ErrorCode.BID_TOO_LOW, next_valid=110_000, increment=10_000)
    assert i18n.error_messages(error) == ("The bid must be at least ¥1,100.00.", "出价不得低于 ¥1,100.00。")
    response = domain_error_response(error)
    body = json.loads(bytes(response.body))["error"]
    assert response.status_code == 409
    assert body == {
        "code": "BID_TOO_LOW",
        "message": "The bid must be at least ¥1,100.00.",
        "message_zh": "出价不得低于 ¥1,100.00。",
        "next_valid": 110_000,
        "increment": 10_000,
    }


def test_times_are_shown_in_beijing_time_and_kept_iso_in_the_body() -> None:
    resets_at = datetime(2025, 3, 1, 16, 0, tzinfo=UTC).isoformat()
    error = DomainError(ErrorCode.WITHDRAWAL_QUOTA_EXCEEDED, limit=3, used=3, resets_at=resets_at)
    assert i18n.error_messages(error) == (
        "You have used all 3 withdrawals today; the quota resets at 2025-03-02 00:00 Beijing time.",
        "今日 3 次撤回已用完，将于北京时间 2025-03-02 00:00 恢复。",
    )
    assert json.loads(bytes(domain_error_response(error).body))["error"]["resets_at"] == resets_at


def test_the_plain_wording_when_an_error_lacks_what_the_fuller_one_names() -> None:
    try:
        transition(LotStatus.SOLD, LotAction.START)
    except DomainError as named:
        en, zh = i18n.error_messages(named)
        assert (en, zh) == ("A lot that is sold cannot start.", "拍品当前状态（sold）不允许执行“start”。")
    bare = DomainError(ErrorCode.LOT_TRANSITION_NOT_ALLOWED, ends_at=T0.isoformat())
    assert i18n.error_messages(bare) == ("The lot cannot do that in its current state.", "拍品当前状态不允许此操作。")
    assert i18n.error_messages(DomainError(ErrorCode.BID_TOO_LOW)) == (
        "The bid is below the next valid amount.",
        "出价低于当前最低可出价。",
    )


def test_lot_problems_are_codes_with_parameters_worded_in_each_language() -> None:
    rules = LotRules(LotKind.COMMERCIAL, 100, 10, 0, starts_at=T0, ends_at=T0, extension_seconds=7200)
    try:
        rules.validate()
    except DomainError as error:
        assert error.details["problems"] == [
            {"code": LotProblem.STARTS_NOT_BEFORE_ENDS.value},
            {"code": LotProblem.EXTENSION_OUT_OF_RANGE.value, "max_seconds": 3600},
        ]
        assert i18n.error_messages(error) == (
            "The lot's rules are invalid: starts_at must be before ends_at; extension_seconds must be 0..3600",
            "拍品规则无效：开始时间必须早于结束时间；延时周期须在 0 至 3600 秒之间",
        )
    else:
        raise AssertionError("the rules were accepted")


def test_notices_name_the_settings_they_depend_on() -> None:
    stored = json.dumps({"lot_title": "青花瓷瓶", "hours": 12}, ensure_ascii=False)
    en, zh = i18n.notice_messages("payment_due_soon", stored)
    assert "within 12 hours" in en and "12小时内" in zh and "青花瓷瓶" in en
    en, zh = i18n.notice_messages("second_chance_offer", {"lot_title": "X", "hours": 6})
    assert en.endswith("open for 6 hours.") and "6小时内有效" in zh
    assert i18n.notice_messages("no_longer_a_kind", "{}") == ("no_longer_a_kind", "no_longer_a_kind")


def test_categories_adapter_refusals_and_unknown_keys() -> None:
    assert i18n.category_name("jewellery", "en") == "Jewellery & jade"
    assert i18n.category_name("jewellery", "zh") == "珠宝玉器"
    assert i18n.category_name("spaceships", "zh") == "spaceships"
    refused = RequestRefused(ErrorCode.VALIDATION_FAILED, "http.idempotency_key_too_long")
    body = json.loads(bytes(domain_error_response(refused).body))["error"]
    assert (body["code"], body["message"], body["message_zh"]) == (
        "VALIDATION_FAILED",
        "Idempotency-Key is too long.",
        "幂等键过长。",
    )
    assert i18n.t("no_such_key", "en") == "no_such_key"  # a gap shows itself rather than failing the page
    assert i18n.t("ord_refuse_explain", "en", amount=50_000).endswith("(¥500.00).")


def test_error_codes_sharing_a_kind_stay_distinct_members() -> None:
    """ErrorCode's values are only a serial number: two codes of one kind must not become aliases."""
    assert len(list(ErrorCode)) == len(ErrorCode.__members__) > 60
    assert len({ErrorCode.BID_TOO_LOW, ErrorCode.CONFLICT}) == 2
    assert ErrorCode.BID_TOO_LOW.kind is ErrorCode.CONFLICT.kind
    assert ErrorCode["BID_TOO_LOW"].kind.value == "conflict"
