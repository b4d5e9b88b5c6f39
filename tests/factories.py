"""Plain factory functions for domain objects and app clients in tests."""

from __future__ import annotations

from fastapi.testclient import TestClient

from rugwijzer.domain.foods import Food, FoodSource, HouseholdMeasure
from rugwijzer.domain.nutrients import Nutrient, NutrientAmounts
from rugwijzer.settings import Settings
from rugwijzer.store.engine import make_engine
from rugwijzer.store.migrate import upgrade
from rugwijzer.web.app import create_app

#: A server-mode secret that passes the settings check (32+ characters, not a placeholder).
TEST_SECRET = "k3y-for-tests-0123456789-abcdefghijklmnop"


def app_client(settings: Settings, base_url: str = "http://127.0.0.1") -> TestClient:
    """A test client of the app with `settings`, its database migrated first (as `rugwijzer
    init` does before `serve`). Use it as a context manager so the app starts and stops."""
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    engine.dispose()
    return TestClient(create_app(settings), base_url=base_url)


def make_food(
    source_id: str,
    name_en: str,
    *,
    group: str | None = None,
    magnesium_mg: float | None = 10.0,
    measures: tuple[HouseholdMeasure, ...] = (),
    name_nl: str | None = None,
    synonyms_nl: tuple[str, ...] = (),
    synonyms_en: tuple[str, ...] = (),
) -> Food:
    values = {} if magnesium_mg is None else {Nutrient.MAGNESIUM_MG: magnesium_mg}
    return Food(
        id=f"test:{source_id}",
        name_en=name_en,
        group_code=group or source_id[:2],
        per_100g=NutrientAmounts(values),
        measures=measures,
        source=FoodSource("test", source_id, "test licence"),
        name_nl=name_nl,
        synonyms_nl=synonyms_nl,
        synonyms_en=synonyms_en,
    )
