"""The pages' side of the catalogue: the language a page speaks and the words its scripts get.

The words themselves are the one gettext catalogue (paimai.adapters.i18n); templates call `t(key)`, and
the browser scripts get the `JS_KEYS` subset in both languages, so a page that updates itself live speaks
the same words as the page the server rendered.
"""

from __future__ import annotations

from typing import Final

from .. import i18n as words
from ..i18n import DEFAULT_LANG, LANGS, N_

__all__ = ["DEFAULT_LANG", "JS_KEYS", "LANGS", "js_catalogue", "order_script_words", "pick_lang", "translate"]

CATEGORY_GLYPHS: Final[dict[str, str]] = {
    "art": "艺",
    "collectibles": "藏",
    "luxury": "奢",
    "jewellery": "玉",
    "real_estate": "房",
    "vehicles": "车",
    "other": "拍",
}

# Words the browser scripts need (both languages are sent; the page's `lang` picks).
JS_KEYS: Final = (
    N_("price_start"),
    N_("price_current"),
    N_("price_final"),
    N_("ends_in"),
    N_("starts_in"),
    N_("ended"),
    N_("closing"),
    N_("days_short"),
    N_("status_draft"),
    N_("status_pending_review"),
    N_("status_rejected"),
    N_("status_scheduled"),
    N_("status_live"),
    N_("status_sold"),
    N_("status_unsold"),
    N_("status_cancelled"),
    N_("status_suspended"),
    N_("bid_leading"),
    N_("bid_outbid"),
    N_("bid_withdrawn"),
    N_("bid_void"),
    N_("bid_won"),
    N_("watch"),
    N_("watching"),
    N_("deposit_topup_cta"),
    N_("withdraw_title_bid"),
    N_("withdraw_title_auction"),
    N_("withdraw_explain_bid"),
    N_("withdraw_explain_auction"),
    N_("withdraw_rows"),
    N_("deposit_release"),
    N_("quota_left"),
    N_("price_after"),
    N_("leader_after"),
    N_("back_to_start"),
    N_("withdrawn_done"),
    N_("withdrawal_fee"),
    N_("bid_manual"),
    N_("bid_proxy"),
    N_("me_tag"),
    N_("priority_tag"),
    N_("record_empty"),
    N_("no_bids_yet"),
    N_("live_on"),
    N_("live_off"),
    N_("bid_placed"),
    N_("bid_placed_outbid"),
    N_("max_raised"),
    N_("deposit_done"),
    N_("notice_accept_first"),
    N_("amount_invalid"),
    N_("network_error"),
    N_("staff_reason_needed"),
    N_("staff_freeze_confirm"),
    N_("manage_reason_needed"),
    N_("manage_cancel_confirm"),
    N_("err_bid_too_low"),
    N_("max_below_amount"),
    N_("go_top_up"),
    N_("working"),
    N_("lot_updated"),
    N_("fields_required"),
    N_("deposit_cta"),
    N_("you_lead_hint"),
    N_("has_reserve"),
    N_("reserve_met"),
    N_("reserve_not_met"),
    N_("no_reserve"),
    N_("next_valid"),
    N_("top_up_done"),
    N_("ledger_empty"),
    N_("entry_top_up"),
    N_("entry_cash_out"),
    N_("cash_out_done"),
    N_("cash_outs_empty"),
    N_("cash_out_status_paid"),
    N_("bank_saved"),
    N_("entry_deposit_freeze"),
    N_("entry_deposit_release"),
    N_("entry_deposit_apply"),
    N_("entry_deposit_forfeit"),
    N_("entry_withdrawal_fee"),
    N_("account_available"),
    N_("account_frozen"),
    N_("logging_in"),
    N_("result_sold"),
    N_("result_unsold"),
    N_("result_cancelled"),
    N_("winner"),
    N_("new_bid_flash"),
    N_("zone"),
    N_("server_clock"),
)


# The order pages' script (orders.js) gets every order word: these families of keys.
ORDER_SCRIPT_PREFIXES: Final = ("ord_", "order_status_", "entry_")


def pick_lang(query_lang: str | None, cookie_lang: str | None) -> str:
    """?lang= wins, then the cookie, then Chinese."""
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG


def translate(key: str, lang: str, **values: object) -> str:
    """The word for `key` in `lang`; an unknown key shows itself so a gap is visible, not fatal."""
    return words.t(key, lang, **values)


def js_catalogue() -> dict[str, dict[str, str]]:
    return words.script_words(JS_KEYS)


def order_script_words() -> dict[str, dict[str, str]]:
    keys = [key for key in words.catalogue().all_keys() if key.startswith(ORDER_SCRIPT_PREFIXES)]
    return words.script_words(sorted(keys))
