"""Did it help, for aids (issue #14, item 4), on SQLite and PostgreSQL: the check-in and the change
carry the aid's catalogue category (API, pages, export and import), and the analysis of an aid
says whether the check-ins name the aid before and after the start, and suggests periods with
and without it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rugwijzer.domain.diary import ChangeInput, CheckInInput
from rugwijzer.errors import InvalidInputError
from rugwijzer.fooddb.database import FoodDatabase
from rugwijzer.messages import Code
from rugwijzer.services.diary import Diary, open_diary
from rugwijzer.store.engine import make_session_factory

TODAY = date.today()
START = TODAY - timedelta(days=20)


def _codes(messages: list[dict[str, Any]]) -> list[str]:
    return [message["code"] for message in messages]


def test_a_check_in_names_the_aid_category(local: TestClient) -> None:
    day = TODAY.isoformat()
    saved = local.put(
        f"/api/v1/me/checkins/{day}",
        json={"pain": 4, "aid_worn": "warmtebandage", "aid_category": "heat_wrap"},
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["aid_worn"], saved.json()["aid_category"]) == (
        "warmtebandage",
        "heat_wrap",
    )
    # the category alone is a check-in (the aid was used, nothing else recorded)
    alone = local.put(
        f"/api/v1/me/checkins/{(TODAY - timedelta(days=1)).isoformat()}",
        json={"aid_category": "office_chair"},
    )
    assert alone.status_code == 200, alone.text
    # an empty category is none
    cleared = local.put(f"/api/v1/me/checkins/{day}", json={"pain": 4, "aid_category": ""})
    assert cleared.json()["aid_category"] is None
    refused = local.put(
        f"/api/v1/me/checkins/{day}",
        json={"pain": 5, "aid_category": "magic_belt"},
        headers={"accept-language": "en"},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == Code.ENTRY_UNKNOWN_AID_CATEGORY.value
    assert problem["params"]["category"] == "magic_belt"
    assert "heat_wrap" in problem["params"]["known"]
    # nothing changed by the refused check-in
    stored = local.get("/api/v1/me/entries/checkin").json()["items"]
    assert {row["day"]: row["pain"] for row in stored}[day] == 4


def test_a_change_is_an_aid_when_it_has_a_category(local: TestClient) -> None:
    created = local.post(
        "/api/v1/me/changes",
        json={"description": "warmtebandage", "started_on": START.isoformat()},
    )
    assert created.status_code == 201
    change = created.json()
    assert change["aid_category"] is None
    path = f"/api/v1/me/changes/{change['id']}"
    set_aid = local.patch(path, json={"aid_category": "heat_wrap"})
    assert set_aid.status_code == 200, set_aid.text
    assert set_aid.json()["aid_category"] == "heat_wrap"
    # only the fields sent change: an end date keeps the category
    ended = local.patch(path, json={"ended_on": TODAY.isoformat()})
    assert (ended.json()["ended_on"], ended.json()["aid_category"]) == (
        TODAY.isoformat(),
        "heat_wrap",
    )
    assert local.patch(path, json={"aid_category": None}).json()["aid_category"] is None
    refused = local.patch(path, json={"aid_category": "lumbar support"})
    assert refused.status_code == 422
    assert refused.json()["code"] == Code.ENTRY_UNKNOWN_AID_CATEGORY.value
    assert local.get("/api/v1/me/entries/change").json()["items"][0]["aid_category"] is None
    with_aid = local.post(
        "/api/v1/me/changes",
        json={"description": "nieuwe stoel", "aid_category": "office_chair"},
    )
    assert with_aid.status_code == 201
    assert with_aid.json()["aid_category"] == "office_chair"
    bad = local.post("/api/v1/me/changes", json={"description": "x", "aid_category": "brace"})
    assert bad.status_code == 422
    assert bad.json()["code"] == Code.ENTRY_UNKNOWN_AID_CATEGORY.value
    assert local.get("/api/v1/me/entries/change").json()["total"] == 2


def _aid_diary(local: TestClient, *, before_with_aid: int, after_with_aid: int) -> int:
    """Three weeks before START and three weeks after (pain 6/7, then 3/4); the aid (heat wrap)
    named on the last `before_with_aid` days before the start and on the first
    `after_with_aid` days from it; the change's id."""
    for offset in range(-21, 21):
        day = START + timedelta(days=offset)
        if day > TODAY:
            break
        pain = (6 if offset % 2 else 7) - (3 if offset >= 0 else 0)
        with_aid = -before_with_aid <= offset < 0 or 0 <= offset < after_with_aid
        body: dict[str, Any] = {"pain": pain}
        if with_aid:
            body["aid_category"] = "heat_wrap"
        assert local.put(f"/api/v1/me/checkins/{day.isoformat()}", json=body).status_code == 200
    created = local.post(
        "/api/v1/me/changes",
        json={
            "description": "warmtebandage",
            "started_on": START.isoformat(),
            "aid_category": "heat_wrap",
        },
    )
    return int(created.json()["id"])


def test_an_aid_is_analysed_like_any_change_with_its_own_caveats(local: TestClient) -> None:
    change_id = _aid_diary(local, before_with_aid=3, after_with_aid=5)
    effect = local.get(f"/api/v1/me/changes/{change_id}/effect", params={"lang": "en"}).json()
    assert effect["verdict"] == "improved"
    assert effect["aid_category"] == "heat_wrap"
    caveats = {message["code"]: message for message in effect["caveats"]}
    used_before = caveats[Code.EFFECT_AID_USED_BEFORE.value]
    assert used_before["params"]["days"] == 3
    assert used_before["params"]["aid"] == {"code": "aids.category.heat_wrap", "params": {}}
    assert "on 3 days before the start" in used_before["text"]
    not_after = caveats[Code.EFFECT_AID_NOT_USED_AFTER.value]
    assert (not_after["params"]["days"], not_after["params"]["recorded"]) == (5, 21)
    suggestions = _codes(effect["suggestions"])
    assert Code.EFFECT_SUGGEST_AID_PERIODS.value in suggestions
    # the aid's own suggestion replaces the general one
    assert Code.EFFECT_SUGGEST_STOP_AND_RESTART.value not in suggestions


def test_an_aid_used_every_day_after_and_never_before_has_no_aid_caveat(local: TestClient) -> None:
    change_id = _aid_diary(local, before_with_aid=0, after_with_aid=21)
    effect = local.get(f"/api/v1/me/changes/{change_id}/effect").json()
    codes = _codes(effect["caveats"])
    assert Code.EFFECT_AID_USED_BEFORE.value not in codes
    assert Code.EFFECT_AID_NOT_USED_AFTER.value not in codes
    assert Code.EFFECT_SUGGEST_AID_PERIODS.value in _codes(effect["suggestions"])


def test_a_change_that_is_no_aid_gets_no_aid_messages(local: TestClient) -> None:
    change_id = _aid_diary(local, before_with_aid=3, after_with_aid=2)
    local.patch(f"/api/v1/me/changes/{change_id}", json={"aid_category": ""})
    effect = local.get(f"/api/v1/me/changes/{change_id}/effect").json()
    assert effect["aid_category"] is None
    every = _codes(effect["caveats"]) + _codes(effect["suggestions"])
    assert not [code for code in every if "aid" in code]
    assert Code.EFFECT_SUGGEST_STOP_AND_RESTART.value in every


def test_today_offers_the_aid_categories_in_the_readers_language(local: TestClient) -> None:
    local.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    page = local.get("/today").text
    assert '<select id="aid_category" name="aid_category">' in page
    assert '<input id="aid_worn" name="aid_worn"' in page  # the free text stays
    assert '<option value="">Geen</option>' in page
    saved = local.post(
        "/today/checkin",
        data={"pain": "5", "aid_worn": "mijn stoel", "aid_category": "office_chair"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    stored = local.get("/api/v1/me/entries/checkin").json()["items"][0]
    assert (stored["aid_worn"], stored["aid_category"]) == ("mijn stoel", "office_chair")
    assert '<option value="office_chair" selected>' in local.get("/today").text
    refused = local.post("/today/checkin", data={"pain": "5", "aid_category": "magic_belt"})
    assert refused.status_code == 422
    assert "Onbekende soort hulpmiddel ‘magic_belt’" in refused.text
    assert '<option value="heat_wrap">warmtekompres of warmtebandage</option>' in page
    local.post("/settings/preferences", data={"language": "en", "reference": "nih"})
    english = local.get("/today").text
    assert "Which kind of aid (for did it help)" in english
    assert '<option value="">None</option>' in english


def test_trends_records_a_change_as_an_aid_and_says_how_to_test_it(local: TestClient) -> None:
    local.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    _aid_diary(local, before_with_aid=2, after_with_aid=21)
    page = local.get("/trends").text
    assert '<select id="change_aid_category" name="aid_category">' in page
    assert '<option value="">Geen hulpmiddel</option>' in page
    assert "warmtebandage (" in page  # the change shows its kind of aid
    assert "gebruik het twee weken, dan twee weken niet" in page
    assert "op 2 dagen vóór de start" in page
    recorded = local.post(
        "/trends/change",
        data={"description": "zit-sta-bureau", "aid_category": "sit_stand_desk", "days": "30"},
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    changes = local.get("/api/v1/me/entries/change").json()["items"]
    assert {c["description"]: c["aid_category"] for c in changes}["zit-sta-bureau"] == (
        "sit_stand_desk"
    )
    refused = local.post(
        "/trends/change", data={"description": "zit-sta-bureau", "aid_category": "desk"}
    )
    assert refused.status_code == 422
    assert "Onbekende soort hulpmiddel ‘desk’" in refused.text
    assert len(local.get("/api/v1/me/entries/change").json()["items"]) == 2


def test_trends_offers_to_analyse_an_aid_the_check_ins_name(local: TestClient) -> None:
    local.post("/welcome", data={"birth_year": "1975", "sex": "female"})
    for offset in range(-7, 7):
        body: dict[str, Any] = {"pain": 5}
        if offset >= 0:
            body["aid_category"] = "heat_wrap"
        day = (START + timedelta(days=offset)).isoformat()
        assert local.put(f"/api/v1/me/checkins/{day}", json=body).status_code == 200
    page = local.get("/trends").text
    assert 'action="/trends/aid/heat_wrap"' in page
    assert "warmtekompres of warmtebandage: in 7 check-ins, vanaf " in page
    assert 'aria-label="Onderzoek dit hulpmiddel: warmtekompres of warmtebandage"' in page
    done = local.post("/trends/aid/heat_wrap", data={"days": "30"}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/trends?days=30")
    (change,) = local.get("/api/v1/me/entries/change").json()["items"]
    assert change["description"] == "warmtekompres of warmtebandage"
    assert (change["started_on"], change["ended_on"]) == (START.isoformat(), None)
    assert change["aid_category"] == "heat_wrap"
    assert 'action="/trends/aid/heat_wrap"' not in local.get("/trends").text
    # a second click adds nothing
    assert local.post("/trends/aid/heat_wrap", follow_redirects=False).status_code == 303
    assert local.get("/api/v1/me/entries/change").json()["total"] == 1
    not_named = local.post("/trends/aid/office_chair")
    assert not_named.status_code == 422
    assert "Je check-ins noemen dit hulpmiddel (" in not_named.text
    unknown = local.post("/trends/aid/magic_belt")
    assert unknown.status_code == 422
    assert "Onbekende soort hulpmiddel ‘magic_belt’" in unknown.text
    assert local.get("/api/v1/me/entries/change").json()["total"] == 1


@pytest.fixture
def diary(migrated_engine: Engine, food_db: FoodDatabase) -> Diary:
    return open_diary(make_session_factory(migrated_engine), food_db, today=lambda: TODAY)


def test_export_and_import_keep_the_aid_categories(diary: Diary) -> None:
    user = diary.profiles.create_user(email="a@example.org")
    diary.entries.check_in(user, CheckInInput(day=START, pain=5, aid_category="heat_wrap"))
    diary.entries.check_in(user, CheckInInput(day=TODAY, pain=4))
    diary.entries.record_change(user, ChangeInput("warmtebandage", START, None, "heat_wrap"))
    diary.entries.record_change(user, ChangeInput("magnesium", START))
    document = diary.portability.export(user).model_dump(mode="json")
    assert [c["aid_category"] for c in document["checkins"]] == ["heat_wrap", None]
    assert [c["aid_category"] for c in document["changes"]] == ["heat_wrap", None]
    other = diary.profiles.create_user(email="b@example.org")
    counts = diary.portability.import_(other, document)
    assert (counts.checkins, counts.changes) == (2, 2)
    again = diary.portability.export(other).model_dump(mode="json")
    assert again["checkins"] == document["checkins"]
    assert again["changes"] == document["changes"]


def test_an_export_from_before_aid_categories_still_imports(diary: Diary) -> None:
    old = {
        "format": "rugwijzer-export/1",
        "exported_by": "rugwijzer 0.1.0",
        "exported_at": "2026-11-01T09:00:00+00:00",
        "profile": None,
        "meals": [],
        "supplements": [],
        "checkins": [
            {
                "day": START.isoformat(),
                "pain": 6,
                "pain_locations": [],
                "stress": None,
                "sleep_quality": None,
                "stiffness": None,
                "cramps": None,
                "minutes_active": None,
                "aid_worn": "rugbrace",
                "note": None,
            }
        ],
        "changes": [{"description": "rugbrace", "started_on": START.isoformat(), "ended_on": None}],
        "assessments": [],
    }
    user = diary.profiles.create_user(email="old@example.org")
    counts = diary.portability.import_(user, old)
    assert (counts.checkins, counts.changes) == (1, 1)
    document = diary.portability.export(user).model_dump(mode="json")
    assert document["checkins"][0]["aid_worn"] == "rugbrace"
    assert document["checkins"][0]["aid_category"] is None
    assert document["changes"][0]["aid_category"] is None


def test_an_import_with_an_unknown_aid_category_is_refused_whole(diary: Diary) -> None:
    user = diary.profiles.create_user(email="a@example.org")
    diary.entries.check_in(user, CheckInInput(day=START, pain=5, aid_category="heat_wrap"))
    document = diary.portability.export(user).model_dump(mode="json")
    document["changes"] = [
        {"description": "x", "started_on": START.isoformat(), "aid_category": "corset"}
    ]
    other = diary.profiles.create_user(email="b@example.org")
    with pytest.raises(InvalidInputError) as refused:
        diary.portability.import_(other, document)
    assert refused.value.message.code is Code.ENTRY_UNKNOWN_AID_CATEGORY
    assert diary.portability.export(other).checkins == []
