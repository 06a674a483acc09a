"""Search text is matched literally (issue 8, defect 10): %, _ and \\ in `q` are not LIKE wildcards or
escapes, so `q=%` no longer lists every lot (both databases)."""

from __future__ import annotations

from conftest import Api


def titles(api: Api, q: str) -> list[str]:
    response = api.client.get("/api/v1/lots", params={"q": q})
    assert response.status_code == 200, response.text
    return sorted(item["title"] for item in response.json()["items"])


def test_wildcards_and_backslashes_in_q_are_literal(api: Api) -> None:
    staff = api.user("staff", staff=True)
    seller = api.user("seller", seller="individual")
    for title in ("玉镯 jade", "100% silk scarf", "snake_case vase", "C:\\path bowl", "plain/slash"):
        api.live_lot(seller, staff, title=title)
    assert len(titles(api, "")) == 5
    assert titles(api, "%") == ["100% silk scarf"]
    assert titles(api, "_") == ["snake_case vase"]
    assert titles(api, "\\") == ["C:\\path bowl"]
    assert titles(api, "/") == ["plain/slash"]
    assert titles(api, "%%") == []
    assert titles(api, "e_c") == ["snake_case vase"]
    assert titles(api, "e%c") == []
    assert titles(api, "SILK") == ["100% silk scarf"]  # still case-insensitive
    assert titles(api, "玉") == ["玉镯 jade"]
