"""Ergonomic aids over HTTP, on SQLite and PostgreSQL: the catalogue and the advice for everyone
(POST with JSON, GET with query parameters; cross-origin only for the configured origins), bad
answers as 422 problems, and the catalogue's administration for admins in server mode only,
with every refused line of a file in the problem's `errors`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from rugwijzer.domain.aids import CATALOGUE_COLUMNS, CATEGORIES
from rugwijzer.services import accounts as accounts_module
from rugwijzer.settings import Settings
from rugwijzer.store.models import AidProduct
from rugwijzer.web.app import create_app

PASSWORD = "correct horse battery"
BASE = "https://rugwijzer.test"
SHOP = "https://shop.example.org"
ANSWERS: dict[str, Any] = {
    "pain_weeks": 3,
    "sitting_hours_per_day": 8,
    "work": "desk",
    "goal": "relief",
}
HEADER = ",".join(CATALOGUE_COLUMNS)
CATALOGUE = "\n".join(
    [
        HEADER,
        "HW-1,Warmtebandage,Heat wrap,heat_wrap,19.95,https://shop.example.org/hw,Warm",
        "BR-1,Rugbrace,Back brace,lumbar_support,39.95,https://shop.example.org/br,",
        "CH-1,Bureaustoel,Office chair,office_chair,299,https://shop.example.org/ch,",
    ]
)
# Line 3: an unknown category; line 4: a negative price; line 5: the SKU of line 2 again.
BAD_CATALOGUE = "\n".join(
    [
        HEADER,
        "NEW-1,Warmtebandage,Heat wrap,heat_wrap,19.95,https://shop.example.org/hw,",
        "XX-1,Iets,Thing,magic_wand,5,https://shop.example.org/x,",
        "CH-2,Bureaustoel,Office chair,office_chair,-3,https://shop.example.org/ch,",
        "NEW-1,Warmtebandage,Heat wrap,heat_wrap,17.50,https://shop.example.org/hw,",
    ]
)
CSV = {"content-type": "text/csv; charset=utf-8"}


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper argon2 parameters (hashing itself is tested in test_api.py)."""
    monkeypatch.setattr(
        accounts_module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _stored(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(AidProduct)) or 0)


@pytest.fixture
def server(server_settings: Settings) -> Iterator[dict[str, TestClient]]:
    """Server mode with the shop's origin allowed: an admin, a plain user and a stranger."""
    settings = server_settings.model_copy(update={"cors_origins": [SHOP]})
    app = create_app(settings)
    with TestClient(app, base_url=BASE) as stranger:
        clients = {"stranger": stranger}
        for who, role in (("admin", "admin"), ("user", "user"), ("pia", "practitioner")):
            email = f"{who}@example.org"
            app.state.accounts.register(email, PASSWORD, role=role)
            token, _user = app.state.accounts.login(email, PASSWORD, client=who)
            client = TestClient(app, base_url=BASE)
            client.cookies.set("rugwijzer_session", token)
            clients[who] = client
        yield clients
        for who in ("admin", "user", "pia"):
            clients[who].close()


def test_the_advice_from_a_body_and_from_the_query_is_the_same(local: TestClient) -> None:
    posted = local.post("/api/v1/aids/advice?lang=en", json=ANSWERS)
    asked = local.get("/api/v1/aids/advice", params={**ANSWERS, "lang": "en"})
    assert (posted.status_code, asked.status_code) == (200, 200)
    assert posted.json() == asked.json()
    view = posted.json()
    assert view["red_flag"] is False
    assert view["referral"] is None
    assert [s["key"] for s in view["favoured"]] == [
        "aids.favoured_active",
        "aids.favoured_exercise",
    ]
    items = {item["category"]: item for item in view["items"]}
    assert list(items) == list(CATEGORIES)
    assert items["heat_wrap"]["recommendation"] == "consider"
    assert items["heat_wrap"]["products"]  # the sample catalogue of local mode
    assert all(p["example"] for p in items["heat_wrap"]["products"])
    assert items["lumbar_support"]["recommendation"] == "not_recommended"
    assert items["lumbar_support"]["products"] == []
    assert "3 weeks" in items["heat_wrap"]["reason"]
    assert items["heat_wrap"]["sources"]
    dutch = local.get("/api/v1/aids/advice", params=ANSWERS).json()  # Dutch by default
    assert "3 weken" in {i["category"]: i for i in dutch["items"]}["heat_wrap"]["reason"]


@pytest.mark.parametrize("goal", ["relief", "prevention"])
def test_a_warning_sign_suggests_nothing(local: TestClient, goal: str) -> None:
    answers = {**ANSWERS, "goal": goal, "triage": {"age": 45, "fever": True}}
    view = local.post("/api/v1/aids/advice?lang=en", json=answers).json()
    assert view["red_flag"] is True
    assert view["referral"]
    assert all(item["recommendation"] != "consider" for item in view["items"])
    assert all(item["products"] == [] for item in view["items"])


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({**ANSWERS, "shoe_size": 42}, "aids.unknown_fields"),
        ({**ANSWERS, "pain_weeks": -1}, "aids.number_range"),
        ({**ANSWERS, "sitting_hours_per_day": 25}, "aids.number_range"),
        ({**ANSWERS, "work": "astronaut"}, "aids.unknown_choice"),
        ({"pain_weeks": 3}, "aids.missing_fields"),
        ({**ANSWERS, "triage": {"fever": "yes"}}, None),  # the triage's own code
        ([1, 2], "form.invalid_fields"),
    ],
)
def test_bad_answers_are_a_422_problem(local: TestClient, answers: Any, code: str | None) -> None:
    response = local.post("/api/v1/aids/advice", json=answers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code if code else problem["code"].startswith("triage.")
    assert problem["detail"]


def test_bad_query_parameters_are_a_422_problem(local: TestClient) -> None:
    out_of_range = local.get("/api/v1/aids/advice", params={**ANSWERS, "pain_weeks": 6000})
    assert out_of_range.status_code == 422
    assert out_of_range.json()["code"] == "aids.number_range"
    assert out_of_range.json()["params"]["field"] == "pain_weeks"
    wrong = local.get(
        "/api/v1/aids/advice",
        params={**ANSWERS, "goal": "miracle"},
        headers={"accept-language": "nl"},
    )
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "aids.unknown_choice"
    assert "moet een van" in wrong.json()["detail"]
    missing = local.get("/api/v1/aids/advice", params={"pain_weeks": 3})
    assert missing.status_code == 422
    assert missing.json()["code"] == "form.invalid_fields"


def test_the_catalogue_is_public_and_local_mode_has_no_administration(local: TestClient) -> None:
    products = local.get("/api/v1/aids/products?lang=en").json()
    assert products
    assert all(product["example"] for product in products)
    assert products[0]["name"].startswith("Example")
    for method, url in (
        ("GET", "/api/v1/admin/aids/products"),
        ("PUT", "/api/v1/admin/aids/products"),
        ("DELETE", "/api/v1/admin/aids/products/EX-HEAT-1"),
    ):
        response = local.request(method, url, content=CATALOGUE, headers=CSV)
        assert response.status_code == 404, (method, url)
        assert response.json()["code"] == "account.server_mode_only"


def test_an_admin_imports_lists_and_deletes(
    server: dict[str, TestClient], migrated_engine: Engine
) -> None:
    admin = server["admin"]
    assert admin.get("/api/v1/admin/aids/products").json() == []  # never the sample catalogue
    assert server["stranger"].get("/api/v1/aids/products").json() == []
    done = admin.put("/api/v1/admin/aids/products", content=CATALOGUE, headers=CSV)
    assert done.status_code == 200, done.text
    assert done.json() == {"added": 3, "updated": 0, "removed": 0, "products": 3}
    listed = admin.get("/api/v1/admin/aids/products?lang=en").json()
    assert [p["sku"] for p in listed] == ["BR-1", "HW-1", "CH-1"]
    assert not any(p["example"] for p in listed)
    # everyone sees the catalogue, and the advice shows its products after the evidence
    advice = server["stranger"].get("/api/v1/aids/advice", params=ANSWERS).json()
    items = {item["category"]: item for item in advice["items"]}
    assert [p["sku"] for p in items["heat_wrap"]["products"]] == ["HW-1"]
    assert items["lumbar_support"]["products"] == []
    replaced = admin.put(
        "/api/v1/admin/aids/products?replace=true",
        content=CATALOGUE.rsplit("\n", 1)[0],
        headers=CSV,
    )
    assert replaced.json() == {"added": 0, "updated": 2, "removed": 1, "products": 2}
    assert admin.delete("/api/v1/admin/aids/products/HW-1").status_code == 204
    assert _stored(migrated_engine) == 1
    unknown = admin.delete("/api/v1/admin/aids/products/HW-1")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "aids.product_not_found"


def test_a_refused_file_lists_every_problem_and_changes_nothing(
    server: dict[str, TestClient], migrated_engine: Engine
) -> None:
    admin = server["admin"]
    admin.put("/api/v1/admin/aids/products", content=CATALOGUE, headers=CSV)
    response = admin.put(
        "/api/v1/admin/aids/products?replace=true",
        content=BAD_CATALOGUE,
        headers={**CSV, "accept-language": "nl"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "aids.import_refused"
    assert problem["params"] == {"count": 3}
    assert [(e["line"], e["code"]) for e in problem["errors"]] == [
        (3, "aids.import_unknown_category"),
        (4, "aids.import_bad_price"),
        (5, "aids.import_duplicate_sku"),
    ]
    assert problem["errors"][0]["params"]["category"] == "magic_wand"
    assert problem["errors"][2]["detail"].startswith("Regel 5:")
    assert _stored(migrated_engine) == 3  # nothing removed, nothing added
    assert [p["sku"] for p in admin.get("/api/v1/admin/aids/products").json()] == [
        "BR-1",
        "HW-1",
        "CH-1",
    ]
    not_text = admin.put("/api/v1/admin/aids/products", content=b"\xff\xfe\x00", headers=CSV)
    assert not_text.status_code == 422
    assert not_text.json()["code"] == "aids.import_not_text"
    empty = admin.put("/api/v1/admin/aids/products", content=b"", headers=CSV)
    assert empty.json()["code"] == "aids.import_empty"


def test_the_administration_is_for_admins_only(
    server: dict[str, TestClient], migrated_engine: Engine
) -> None:
    server["admin"].put("/api/v1/admin/aids/products", content=CATALOGUE, headers=CSV)
    for who in ("user", "pia", "stranger"):
        client = server[who]
        answers = (
            client.get("/api/v1/admin/aids/products"),
            client.put("/api/v1/admin/aids/products?replace=true", content=HEADER, headers=CSV),
            client.delete("/api/v1/admin/aids/products/HW-1"),
        )
        expected = 401 if who == "stranger" else 404
        assert [answer.status_code for answer in answers] == [expected] * 3, who
        assert all("Warmtebandage" not in answer.text for answer in answers)
    assert _stored(migrated_engine) == 3


def test_the_advice_is_open_cross_origin_only_to_the_configured_shops(
    server: dict[str, TestClient],
) -> None:
    stranger = server["stranger"]
    allowed = stranger.get("/api/v1/aids/advice", params=ANSWERS, headers={"origin": SHOP})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SHOP
    other = stranger.get(
        "/api/v1/aids/advice", params=ANSWERS, headers={"origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
    preflight = stranger.options(
        "/api/v1/aids/advice",
        headers={"origin": SHOP, "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SHOP
    refused = stranger.options(
        "/api/v1/aids/advice",
        headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
    )
    assert "access-control-allow-origin" not in refused.headers
