"""The authorization matrix: every route of the API and the pages, on SQLite and PostgreSQL.

The world: two users (Alice and Bob) with a diary each, and two practitioners. Alice granted
access to Pia, Bob to Piet, and Alice's grant to Piet was withdrawn. For every route that takes
an id or shows a user's data:

* routes that name one of Alice's rows by id: Bob, Pia and Piet get 404 and the database does not
  change by a single row; Alice herself gets 2xx and her rows change;
* reads that name one of Alice's rows by id (did her change help?): Bob, Pia and Piet get 404
  without a word of hers; Alice gets 2xx with her row; nobody's rows change;
* a practitioner's view of a client: only Pia, Alice's practitioner, sees Alice's diary; Piet
  (with Bob's grant and Alice's withdrawn one), Bob and Alice herself get 404; Pia's read adds
  one row to the access audit (who, whose, what) and changes nothing else, a refused one adds
  nothing;
* routes about the caller ("me", the pages): they cannot name another user, so what is checked is
  that another user's data never shows (Alice's words never appear in Bob's answer, and Bob's
  answer is the same before and after Alice adds to her diary) while Alice's answer does show her
  new data; a write changes the caller's rows and no row of anyone else.

The catalogue of ergonomic aids is no user's data but the installation's: only an admin may
change or list it over the administration routes; everyone else gets 404 and nothing changes.
The same holds for the audit of logins and role changes (GET /api/v1/admin/audit).

The last test fails when a route exists that this table does not list: a new route has to be
added here, checked or in the commented list of routes without user data.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import fastapi.routing
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select

from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.domain.triage import parse_answers, triage
from rugwijzer.services import accounts as accounts_module
from rugwijzer.services.accounts import AccountService
from rugwijzer.services.diary import EXPORT_FORMAT, Diary
from rugwijzer.services.safety import triage_view
from rugwijzer.settings import Settings
from rugwijzer.store.models import (
    Assessment,
    AuditEvent,
    Change,
    CheckIn,
    MealEntry,
    SupplementEntry,
)
from rugwijzer.web.app import create_app
from tests.integration.user_rows import everything, others_rows, owned_by
from tests.pdf_text import pdf_text

PASSWORD = "correct horse battery"
NEW_PASSWORD = "another long password"
BASE = "https://rugwijzer.test"  # server-mode cookies are Secure
TODAY = date.today()
MONTH_AGO = TODAY - timedelta(days=29)

# Words only Alice's diary contains: none may appear in what anyone else is shown.
ALICE_WORDS = (
    "30 g pompoenpitten",  # the meal text (the food itself is in the food database)
    "alice-magnesium",
    "alice-note",
    "alice: nieuwe stoel",
    "alice@example.org",
)


@dataclass
class World:
    """The app, a browser per person, and the ids of what they own."""

    app: Any
    engine: Engine
    browsers: dict[str, TestClient]
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def diary(self) -> Diary:
        services: Diary = self.app.state.diary
        return services

    @property
    def accounts(self) -> AccountService:
        service: AccountService = self.app.state.accounts
        return service

    def email(self, who: str) -> str:
        return f"{who}@example.org"


def _triage(answers: dict[str, Any]) -> dict[str, Any]:
    return triage_view(triage(parse_answers(answers)), "nl").to_json()


def _diary_for(
    world: World, who: str, *, birth_year: int, sex: str, triage_answers: dict[str, Any]
) -> None:
    user = world.ids[who]
    diary = world.diary
    diary.profiles.set_profile(user, {"birth_year": birth_year, "sex": sex})
    food = "30 g pompoenpitten" if who == "alice" else "een banaan"
    world.ids[f"{who}_meal"] = diary.entries.log_meal(user, food, lang="nl").id
    world.ids[f"{who}_supplement"] = diary.entries.log_supplement(
        user, {"name": f"{who}-magnesium", "elemental_mg": 100}
    ).id
    world.ids[f"{who}_checkin"] = diary.entries.check_in(
        user, CheckInInput(day=TODAY, pain=6, stress=5, note=f"{who}-note")
    ).id
    description = "alice: nieuwe stoel" if who == "alice" else "bob: fietsen"
    world.ids[f"{who}_change"] = diary.entries.record_change(
        user, ChangeInput(description, TODAY - timedelta(days=7))
    ).id
    diary.entries.record_assessment(user, "triage", triage_answers, _triage(triage_answers))


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper argon2 parameters: the matrix builds four accounts for each of its hundred-odd
    tests, and at the real cost hashing would take most of the run. Hashing itself is tested
    with the real parameters in test_api.py and test_account_pages.py."""
    monkeypatch.setattr(
        accounts_module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def world(server_settings: Settings, migrated_engine: Engine) -> Iterator[World]:
    app = create_app(server_settings)
    with TestClient(app, base_url=BASE) as main:
        browsers = {"alice": main} | {
            who: TestClient(app, base_url=BASE) for who in ("bob", "pia", "piet", "ada")
        }
        built = World(app, migrated_engine, browsers)
        for who in ("alice", "bob", "pia", "piet", "ada"):
            role = {"pia": "practitioner", "piet": "practitioner", "ada": "admin"}.get(who, "user")
            built.ids[who] = built.accounts.register(built.email(who), PASSWORD, role=role)
            token, _user = built.accounts.login(built.email(who), PASSWORD, client=who)
            browsers[who].cookies.set("rugwijzer_session", token)
        # Bob's diary first: Alice's rows are then the newest, which is what a query that
        # forgets its user filter and takes "the latest" would pick.
        _diary_for(built, "bob", birth_year=1985, sex="male", triage_answers={"age": 60})
        _diary_for(
            built, "alice", birth_year=1970, sex="female", triage_answers={"age": 55, "fever": True}
        )
        built.ids["alice_grant"] = built.accounts.grant(built.ids["alice"], built.email("pia"))[
            "id"
        ]
        built.ids["bob_grant"] = built.accounts.grant(built.ids["bob"], built.email("piet"))["id"]
        withdrawn = built.accounts.grant(built.ids["alice"], built.email("piet"))["id"]
        built.accounts.revoke(built.ids["alice"], withdrawn)
        built.ids["alice_withdrawn_grant"] = withdrawn
        built.diary.aids.import_csv(_CATALOGUE)
        yield built
        for who in ("bob", "pia", "piet", "ada"):
            browsers[who].close()


def _alice_adds_to_her_diary(world: World) -> None:
    """New data of every kind, so that a view leaking Alice's diary into Bob's would change."""
    alice = world.ids["alice"]
    diary = world.diary
    diary.profiles.set_profile(alice, {"birth_year": 1950, "reference": "efsa"})
    diary.entries.log_meal(alice, "100 g amandelen", lang="nl")
    diary.entries.log_supplement(alice, {"name": "alice-tweede", "elemental_mg": 150})
    diary.entries.check_in(alice, CheckInInput(day=TODAY, pain=2, stress=9, note="alice-later"))
    # A day on which Bob has no check-in: a period or chart that matched check-ins by day alone
    # would show this one to Bob (on a day both have one, his own row can hide the leak).
    yesterday = TODAY - timedelta(days=1)
    diary.entries.check_in(
        alice, CheckInInput(day=yesterday, pain=3, stress=8, note="alice-yesterday")
    )
    diary.entries.record_change(alice, ChangeInput("alice: wandelen", TODAY - timedelta(days=2)))
    answers = {"age": 55, "saddle_numbness": True}
    diary.entries.record_assessment(alice, "triage", answers, _triage(answers))
    world.accounts.grant(alice, world.email("piet"))


# --- the route table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request to one route. `url` and the body may name ids of the world ("{alice_meal}")."""

    method: str
    route: str  # the route's path as the app lists it
    url: str
    json: Any = None
    data: dict[str, str] | None = None
    upload: bool = False  # send an export file as the form field "file"
    csv: str | None = None  # a catalogue file as the body (text/csv)
    status: int = 200  # the status for the rightful caller
    setup: Callable[[World], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.url}"


def _request(world: World, who: str, case: Case) -> Any:
    url = case.url.format(**world.ids, today=TODAY.isoformat(), month_ago=MONTH_AGO.isoformat())
    kwargs: dict[str, Any] = {"follow_redirects": False}
    if case.json is not None:
        kwargs["json"] = case.json
    if case.data is not None:
        kwargs["data"] = case.data
    if case.csv is not None:
        kwargs["content"] = case.csv
        kwargs["headers"] = {"content-type": "text/csv"}
    if case.upload:
        kwargs["files"] = {"file": ("export.json", json.dumps(_IMPORT), "application/json")}
    return world.browsers[who].request(case.method, url, **kwargs)


_IMPORT = {
    "format": EXPORT_FORMAT,
    "changes": [{"description": "bob: uit een export", "started_on": TODAY.isoformat()}],
}


_CATALOGUE = (
    "sku,name_nl,name_en,category,price_eur,url,description\n"
    "HW-1,Warmtebandage,Heat wrap,heat_wrap,19.95,https://shop.example.org/hw,\n"
    "CH-1,Bureaustoel,Office chair,office_chair,299,https://shop.example.org/ch,\n"
)


def _empty_bobs_diary(world: World) -> None:
    """An import needs an empty diary (the profile may stay)."""
    with world.engine.begin() as connection:
        for model in (MealEntry, SupplementEntry, CheckIn, Change, Assessment):
            connection.execute(delete(model).where(model.user_id == world.ids["bob"]))


def _both_name_an_aid(world: World) -> None:
    """Alice's and Bob's check-ins name a heat wrap: "analyse this aid" may use only Bob's."""
    for who in ("alice", "bob"):
        world.diary.entries.check_in(
            world.ids[who],
            CheckInInput(day=TODAY - timedelta(days=3), pain=5, aid_category="heat_wrap"),
        )


# Routes that name one of Alice's rows by id: only Alice may use them.
ALICE_ROWS = [
    Case(
        "PUT",
        "/api/v1/me/meals/{meal_id}",
        "/api/v1/me/meals/{alice_meal}",
        json={"text": "een appel"},
    ),
    Case(
        "PATCH",
        "/api/v1/me/meals/{meal_id}/items/{position}",
        "/api/v1/me/meals/{alice_meal}/items/0",
        json={"grams": 50},
    ),
    Case(
        "PATCH",
        "/api/v1/me/changes/{change_id}",
        "/api/v1/me/changes/{alice_change}",
        json={"ended_on": TODAY.isoformat()},
    ),
    *(
        Case(
            "DELETE",
            "/api/v1/me/entries/{kind}/{entry_id}",
            f"/api/v1/me/entries/{kind}/{{alice_{kind}}}",
            status=204,
        )
        for kind in ("meal", "supplement", "checkin", "change")
    ),
    Case("DELETE", "/api/v1/me/grants/{grant_id}", "/api/v1/me/grants/{alice_grant}", status=204),
    Case(
        "POST",
        "/today/meal/{meal_id}/item/{position}",
        "/today/meal/{alice_meal}/item/0",
        data={"grams": "50"},
        status=303,
    ),
    Case(
        "POST",
        "/today/meal/{meal_id}/item/{position}/food",
        "/today/meal/{alice_meal}/item/0/food",
        data={"food_id": "sr24:09040"},  # bananas in place of the pumpkin seeds
        status=303,
    ),
    Case("POST", "/trends/change/{change_id}/end", "/trends/change/{alice_change}/end", status=303),
    Case(
        "POST",
        "/settings/grants/{grant_id}/revoke",
        "/settings/grants/{alice_grant}/revoke",
        status=303,
    ),
]

# Reads that name one of Alice's rows by id: only Alice gets an answer, and nothing is written.
ALICE_ROW_READS = [
    Case(
        "GET",
        "/api/v1/me/changes/{change_id}/effect",
        "/api/v1/me/changes/{alice_change}/effect",
    ),
]

# A client's diary as a practitioner sees it: only Pia, with Alice's grant.
ALICE_AS_CLIENT = [
    Case("GET", "/api/v1/clients/{client_id}/export", "/api/v1/clients/{alice}/export"),
    Case("GET", "/clients/{client_id}/export", "/clients/{alice}/export"),
    Case(
        "GET",
        "/api/v1/clients/{client_id}/report.pdf",
        "/api/v1/clients/{alice}/report.pdf?from={month_ago}&to={today}",
    ),
    Case("GET", "/clients/{client_id}/report.pdf", "/clients/{alice}/report.pdf"),
]

# The access audit of logins and role changes: only Ada, the admin.
ADMIN_AUDIT = [
    Case("GET", "/api/v1/admin/audit", "/api/v1/admin/audit"),
    Case("GET", "/api/v1/admin/audit", "/api/v1/admin/audit?limit=2&before=1000"),
]

# The practitioner's list of clients.
CLIENT_LISTS = [
    Case("GET", "/api/v1/clients", "/api/v1/clients"),
    Case("GET", "/clients", "/clients"),
]

# The catalogue's administration (server mode): only Ada, the admin.
ADMIN_ONLY = [
    Case("GET", "/api/v1/admin/aids/products", "/api/v1/admin/aids/products"),
    Case(
        "PUT",
        "/api/v1/admin/aids/products",
        "/api/v1/admin/aids/products?replace=true",
        csv=_CATALOGUE.replace("19.95", "17.50").rsplit("\n", 2)[0],
    ),
    Case(
        "DELETE",
        "/api/v1/admin/aids/products/{sku}",
        "/api/v1/admin/aids/products/HW-1",
        status=204,
    ),
]

# Reads about the caller. The answer must never include Alice's diary when Bob asks.
OWN_READS = [
    Case("GET", "/api/v1/me", "/api/v1/me"),
    Case("GET", "/api/v1/me/profile", "/api/v1/me/profile"),
    Case("GET", "/api/v1/me/grants", "/api/v1/me/grants"),
    *(
        Case("GET", "/api/v1/me/entries/{kind}", f"/api/v1/me/entries/{kind}")
        for kind in ("meal", "supplement", "checkin", "change")
    ),
    Case("GET", "/api/v1/me/days/{day}", "/api/v1/me/days/{today}"),
    Case("GET", "/api/v1/me/period", "/api/v1/me/period?start={month_ago}&end={today}"),
    Case("GET", "/api/v1/me/export", "/api/v1/me/export"),
    Case("GET", "/api/v1/me/export", "/api/v1/me/export?format=zip"),
    Case("GET", "/api/v1/me/report.pdf", "/api/v1/me/report.pdf?from={month_ago}&to={today}"),
    Case("GET", "/report.pdf", "/report.pdf?from={month_ago}&to={today}"),
    Case("GET", "/", "/", status=303),
    Case("GET", "/welcome", "/welcome"),
    Case("GET", "/triage", "/triage"),
    Case("GET", "/today", "/today"),
    Case("GET", "/trends", "/trends"),
    Case("GET", "/stress", "/stress"),
    Case("GET", "/screen", "/screen"),
    Case("GET", "/supplements", "/supplements"),
    Case(
        "POST",
        "/supplements",
        "/supplements",
        data={"label": "magnesium (as citrate) 200 mg", "servings": "1"},
    ),
    Case("GET", "/foods", "/foods?q=banaan"),
    Case("GET", "/settings", "/settings"),
    # public, but it leads with the caller's own red flag
    Case("GET", "/aids", "/aids?pain_weeks=3&sitting_hours_per_day=8&work=desk&goal=relief"),
    # the gap planner: today's gap and the foods already eaten come from the caller's diary
    Case("POST", "/api/v1/plan", "/api/v1/plan", json={}),
    Case("GET", "/plan", "/plan"),
]

# Writes by the caller to their own diary or account: Bob's rows change, nobody else's.
OWN_WRITES = [
    Case("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", status=204),
    Case(
        "POST",
        "/api/v1/auth/password",
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        status=204,
    ),
    Case("DELETE", "/api/v1/me", "/api/v1/me", status=204),
    Case(
        "POST",
        "/api/v1/me/grants",
        "/api/v1/me/grants",
        json={"practitioner_email": "pia@example.org"},
        status=201,
    ),
    Case("PUT", "/api/v1/me/profile", "/api/v1/me/profile", json={"birth_year": 1986}),
    Case("POST", "/api/v1/me/meals", "/api/v1/me/meals", json={"text": "2 eieren"}, status=201),
    Case(
        "POST",
        "/api/v1/me/supplements",
        "/api/v1/me/supplements",
        json={"name": "bob-extra", "elemental_mg": 50},
        status=201,
    ),
    Case("PUT", "/api/v1/me/checkins/{day}", "/api/v1/me/checkins/{today}", json={"pain": 1}),
    Case(
        "POST",
        "/api/v1/me/changes",
        "/api/v1/me/changes",
        json={"description": "bob: wandelen"},
        status=201,
    ),
    Case("POST", "/api/v1/me/import", "/api/v1/me/import", json=_IMPORT, setup=_empty_bobs_diary),
    Case("POST", "/api/v1/me/triage", "/api/v1/me/triage", json={"age": 40}, status=201),
    Case("POST", "/api/v1/me/screen", "/api/v1/me/screen", json={}, status=201),
    Case("POST", "/api/v1/me/red-flag/acknowledge", "/api/v1/me/red-flag/acknowledge", status=204),
    Case("POST", "/red-flag/acknowledge", "/red-flag/acknowledge", status=303),
    Case("POST", "/welcome", "/welcome", data={"birth_year": "1986", "sex": "male"}, status=303),
    Case("POST", "/triage", "/triage", data={"age": "40"}),
    Case("POST", "/screen", "/screen", data={"symptoms": "cramps"}),
    Case("POST", "/today/meal", "/today/meal", data={"text": "2 eieren"}, status=303),
    Case(
        "POST",
        "/today/supplement",
        "/today/supplement",
        data={"label": "magnesium (as citrate) 100 mg", "servings": "1"},
        status=303,
    ),
    Case("POST", "/today/checkin", "/today/checkin", data={"pain": "1"}, status=303),
    Case(
        "POST",
        "/trends/change",
        "/trends/change",
        data={"description": "bob: wandelen"},
        status=303,
    ),
    Case(
        "POST",
        "/trends/aid/{category}",
        "/trends/aid/heat_wrap",
        status=303,
        setup=_both_name_an_aid,
    ),
    Case(
        "POST",
        "/settings/preferences",
        "/settings/preferences",
        data={"language": "en", "reference": "efsa"},
        status=303,
    ),
    Case(
        "POST",
        "/settings/import",
        "/settings/import",
        upload=True,
        status=303,
        setup=_empty_bobs_diary,
    ),
    Case("POST", "/settings/delete", "/settings/delete", data={"confirm": "on"}, status=303),
    Case(
        "POST",
        "/settings/password",
        "/settings/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
        status=303,
    ),
    Case(
        "POST",
        "/settings/grants",
        "/settings/grants",
        data={"practitioner_email": "pia@example.org"},
        status=303,
    ),
    Case("POST", "/logout", "/logout", status=303),
]

# Routes that carry no user data: public tools and reference data, the documentation, and the
# forms that create an account or a session (they act only on the credentials sent).
WITHOUT_USER_DATA = {
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/foods"),  # the food database
    ("GET", "/api/v1/foods/{food_id}"),
    ("POST", "/api/v1/meals/parse"),  # stateless tools: nothing is read or kept
    ("POST", "/api/v1/targets"),
    ("POST", "/api/v1/supplements/elemental"),
    ("POST", "/api/v1/supplements/check"),  # the profile comes in the body, not from a diary
    ("POST", "/api/v1/triage"),
    ("POST", "/api/v1/screen"),
    ("GET", "/api/v1/faq"),  # the knowledge base: the same for everyone
    ("GET", "/api/v1/faq/{faq_id}"),
    ("GET", "/api/v1/claims"),
    ("GET", "/api/v1/claims/{claim_id}"),
    ("GET", "/api/v1/articles"),
    ("GET", "/api/v1/articles/{article_id}"),
    ("GET", "/api/v1/aids/products"),  # the catalogue and the advice: the same for everyone
    ("POST", "/api/v1/aids/advice"),
    ("GET", "/api/v1/aids/advice"),
    ("GET", "/faq"),
    ("GET", "/claims"),
    ("GET", "/articles"),
    ("GET", "/articles/{article_id}"),
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("GET", "/lang/{code}"),  # a language cookie
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/register"),
    ("POST", "/register"),
    ("MOUNT", "/static"),  # stylesheets and scripts
    # the aids widget for shops: the answers come in the query and are not kept; no diary is
    # read (tests/integration/test_embed.py), the catalogue is the installation's
    ("GET", "/embed/aids"),
    ("GET", "/embed/aids/theme.css"),  # the shop's colour
    ("GET", "/embed/aids/logo"),  # the shop's logo file
    ("GET", "/healthz"),  # the process is alive
    ("GET", "/readyz"),  # the database answers with the newest schema
}

# The operator's metrics: for this machine (or the configured token) only, whatever a person's
# role; and no one's data is in them (tests/integration/test_health.py checks the token).
OPERATOR_ONLY = [Case("GET", "/metrics", "/metrics")]


# --- the checks -------------------------------------------------------------------------------


def _answer(response: Any) -> Any:
    """What a response tells its reader: status, redirect target and body (the export's
    timestamp aside, a zip unpacked, a PDF's text)."""
    body: Any = response.text
    content_type = response.headers.get("content-type", "")
    if content_type == "application/pdf":
        body = pdf_text(response.content)
    elif content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            body = {name: archive.read(name).decode() for name in sorted(archive.namelist())}
            body["rugwijzer-export.json"] = json.loads(body["rugwijzer-export.json"])
            body["rugwijzer-export.json"].pop("exported_at")
    elif content_type.startswith("application/json"):
        body = response.json()
        if isinstance(body, dict):
            body.pop("exported_at", None)
    return response.status_code, response.headers.get("location"), body


def _text(answer: Any) -> str:
    return json.dumps(answer, ensure_ascii=False)


@pytest.mark.parametrize("case", ALICE_ROWS, ids=lambda case: case.id)
def test_only_the_owner_can_use_an_id(world: World, case: Case) -> None:
    for intruder in ("bob", "pia", "piet"):
        before = everything(world.engine)
        response = _request(world, intruder, case)
        assert response.status_code == 404, (intruder, response.text)
        assert everything(world.engine) == before, intruder
    mine = owned_by(world.engine, world.ids["alice"], world.email("alice"))
    others = others_rows(world.engine, world.ids["alice"], world.email("alice"))
    response = _request(world, "alice", case)
    assert response.status_code == case.status, response.text
    assert owned_by(world.engine, world.ids["alice"], world.email("alice")) != mine
    assert others_rows(world.engine, world.ids["alice"], world.email("alice")) == others


@pytest.mark.parametrize("case", ALICE_ROW_READS, ids=lambda case: case.id)
def test_only_the_owner_can_read_by_id(world: World, case: Case) -> None:
    before = everything(world.engine)
    for intruder in ("bob", "pia", "piet"):
        response = _request(world, intruder, case)
        assert response.status_code == 404, (intruder, response.text)
        for word in ALICE_WORDS:
            assert word not in response.text, (intruder, word)
    response = _request(world, "alice", case)
    assert response.status_code == case.status, response.text
    assert "alice: nieuwe stoel" in response.text  # her change, named by its id
    assert everything(world.engine) == before  # reading writes nothing


def _audit_rows(world: World) -> list[tuple[Any, ...]]:
    """The access audit's reads as (actor, subject, resource)."""
    with world.engine.connect() as connection:
        rows = connection.execute(
            select(AuditEvent.actor_id, AuditEvent.subject_id, AuditEvent.resource)
            .where(AuditEvent.event == "read")
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize("case", ALICE_AS_CLIENT, ids=lambda case: case.id)
def test_only_the_granted_practitioner_sees_a_client(world: World, case: Case) -> None:
    before = everything(world.engine)
    # Piet has Bob's grant and Alice's withdrawn one; Bob and Alice are no practitioners.
    for intruder in ("piet", "bob", "alice"):
        response = _request(world, intruder, case)
        assert response.status_code == 404, (intruder, response.text)
        for word in ALICE_WORDS:
            assert word not in response.text, (intruder, word)
    assert everything(world.engine) == before  # a refused read is no access
    shared = _request(world, "pia", case)
    assert shared.status_code == 200, shared.text
    # The access audit holds Pia's read of Alice's export or report, and nothing else changed.
    resource = "report.pdf" if case.route.endswith("report.pdf") else "export"
    assert _audit_rows(world) == [(world.ids["pia"], world.ids["alice"], resource)]
    after = everything(world.engine)
    assert len(after["audit_events"]) == len(before["audit_events"]) + 1
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }
    before = after
    if shared.headers["content-type"] == "application/pdf":  # the report: what it shows of hers
        text = pdf_text(shared.content)
        assert "alice: nieuwe stoel" in text
        assert "alice-magnesium" in text, text
        return
    document = shared.json()
    assert document["access_log"] == []  # Alice's log names her practitioners: hers alone
    assert [meal["text"] for meal in document["meals"]] == ["30 g pompoenpitten"]
    assert [entry["name"] for entry in document["supplements"]] == ["alice-magnesium"]
    assert [change["description"] for change in document["changes"]] == ["alice: nieuwe stoel"]
    assert everything(world.engine) == before


@pytest.mark.parametrize("case", CLIENT_LISTS, ids=lambda case: case.id)
def test_a_practitioner_lists_only_their_own_clients(world: World, case: Case) -> None:
    before = everything(world.engine)
    for user in ("alice", "bob"):
        assert _request(world, user, case).status_code == 404, user
    pia = _request(world, "pia", case)
    piet = _request(world, "piet", case)
    assert (pia.status_code, piet.status_code) == (200, 200)
    if case.route.startswith("/api/"):
        assert pia.json() == [{"user_id": world.ids["alice"], "email": "alice@example.org"}]
        assert piet.json() == [{"user_id": world.ids["bob"], "email": "bob@example.org"}]
    else:
        assert "alice@example.org" in pia.text
        assert "bob@example.org" not in pia.text
        assert "bob@example.org" in piet.text
        assert "alice@example.org" not in piet.text  # her grant to Piet was withdrawn
    assert everything(world.engine) == before


@pytest.mark.parametrize("case", ADMIN_ONLY, ids=lambda case: case.id)
def test_only_an_admin_administers_the_catalogue(world: World, case: Case) -> None:
    for intruder in ("alice", "bob", "pia", "piet"):
        before = everything(world.engine)
        response = _request(world, intruder, case)
        assert response.status_code == 404, (intruder, response.text)
        assert "Warmtebandage" not in response.text
        assert everything(world.engine) == before, intruder
    before = everything(world.engine)
    response = _request(world, "ada", case)
    assert response.status_code == case.status, response.text
    after = everything(world.engine)
    if case.method == "GET":
        assert "Warmtebandage" in response.text
        assert after == before
    else:  # the catalogue changed, and nothing else did
        assert after["aid_products"] != before["aid_products"]
        assert {k: v for k, v in after.items() if k != "aid_products"} == {
            k: v for k, v in before.items() if k != "aid_products"
        }


@pytest.mark.parametrize("case", ADMIN_AUDIT, ids=lambda case: case.id)
def test_only_an_admin_reads_the_account_audit(world: World, case: Case) -> None:
    before = everything(world.engine)
    for intruder in ("alice", "bob", "pia", "piet"):
        response = _request(world, intruder, case)
        assert response.status_code == 404, (intruder, response.text)
        assert "alice@example.org" not in response.text
    response = _request(world, "ada", case)
    assert response.status_code == case.status, response.text
    events = response.json()
    assert events, "the world's five logins"
    assert {event["event"] for event in events} == {"login"}
    if "limit" not in case.url:
        assert {event["email"] for event in events} == {world.email(w) for w in world.browsers}
    text = response.text
    assert PASSWORD not in text
    for browser in world.browsers.values():  # no session token
        assert browser.cookies["rugwijzer_session"] not in text
    assert everything(world.engine) == before  # reading the audit writes nothing


@pytest.mark.parametrize("case", OWN_READS, ids=lambda case: case.id)
def test_reads_show_only_the_callers_diary(world: World, case: Case) -> None:
    before = everything(world.engine)
    bob_first = _answer(_request(world, "bob", case))
    alice_first = _answer(_request(world, "alice", case))
    assert (bob_first[0], alice_first[0]) == (case.status, case.status), (bob_first, alice_first)
    for word in ALICE_WORDS:
        assert word not in _text(bob_first), word
    assert everything(world.engine) == before  # reading writes nothing

    _alice_adds_to_her_diary(world)
    assert _answer(_request(world, "bob", case)) == bob_first
    alice_then = _answer(_request(world, "alice", case))
    if case.route == "/api/v1/me":  # who you are does not change with the diary
        assert alice_then[2] == {"user_id": world.ids["alice"], "role": "user"}
        assert bob_first[2] == {"user_id": world.ids["bob"], "role": "user"}
    elif case.route == "/":  # where to go does not either: both have a profile
        assert alice_then[1] == bob_first[1] == "/today"
    else:
        assert alice_then != alice_first  # the route does show the diary's data


@pytest.mark.parametrize("case", OWN_WRITES, ids=lambda case: case.id)
def test_writes_change_only_the_callers_rows(world: World, case: Case) -> None:
    if case.setup is not None:
        case.setup(world)
    bob, email = world.ids["bob"], world.email("bob")
    mine = owned_by(world.engine, bob, email)
    others = others_rows(world.engine, bob, email)
    response = _request(world, "bob", case)
    assert response.status_code == case.status, response.text
    assert owned_by(world.engine, bob, email) != mine
    assert others_rows(world.engine, bob, email) == others


@pytest.mark.parametrize("case", OPERATOR_ONLY, ids=lambda case: case.id)
def test_only_this_machine_reads_the_metrics(world: World, case: Case) -> None:
    _alice_adds_to_her_diary(world)
    before = everything(world.engine)
    for person in ("alice", "bob", "pia", "piet", "ada"):  # over the network, any role
        response = _request(world, person, case)
        assert response.status_code == 404, (person, response.text)
        assert "rugwijzer_" not in response.text
    # (not started as a context: the app is already running for the world's browsers)
    operator = TestClient(world.app, base_url=BASE, client=("127.0.0.1", 40000))
    response = operator.get(case.url)
    assert response.status_code == 200
    assert "rugwijzer_meals_logged_total" in response.text
    for word in ALICE_WORDS:
        assert word not in response.text, word
    assert everything(world.engine) == before


def _routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path) the app answers (a mounted directory as MOUNT)."""
    iterate = getattr(fastapi.routing, "iter_route_contexts", lambda routes: routes)
    found: set[tuple[str, str]] = set()
    for route in iterate(app.routes):
        methods = route.methods or {"MOUNT"}
        found |= {(method, route.path) for method in methods if method != "HEAD"}
    return found


def test_every_route_is_in_the_matrix(world: World) -> None:
    checked = {
        (case.method, case.route)
        for case in (
            *ALICE_ROWS,
            *ALICE_ROW_READS,
            *ALICE_AS_CLIENT,
            *CLIENT_LISTS,
            *ADMIN_ONLY,
            *ADMIN_AUDIT,
            *OWN_READS,
            *OWN_WRITES,
            *OPERATOR_ONLY,
        )
    }
    assert not checked & WITHOUT_USER_DATA
    routes = _routes(world.app)
    assert sorted(routes - checked - WITHOUT_USER_DATA) == []  # new: add it to a table above
    assert sorted((checked | WITHOUT_USER_DATA) - routes) == []  # gone: remove it
