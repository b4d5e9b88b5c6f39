"""The API tries the diary's routes first (the most frequent requests, and FastAPI matches in
order): that is only safe while no diary route matches a path of another router."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from starlette.routing import compile_path

from rugwijzer.api import admin, aids, auth, diary, foods, planner, report, tools


def test_no_diary_route_takes_a_path_of_another_router() -> None:
    diary_paths = [compile_path(route.path)[0] for route in diary.router.routes]
    checked = 0
    for module in (admin, aids, auth, foods, planner, report, tools):
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            sample = re.sub(r"\{[^}]+\}", "1", route.path)
            taken = [regex.pattern for regex in diary_paths if regex.match(sample)]
            assert not taken, f"{route.path} would be answered by the diary route {taken}"
            checked += 1
    assert checked > 30  # every other API route was looked at


def test_the_check_would_see_a_diary_route_that_takes_another_path() -> None:
    # the same check against a made-up diary route /me/{anything}: it catches /me/grants
    regex = compile_path("/me/{anything}")[0]
    assert regex.match(re.sub(r"\{[^}]+\}", "1", "/me/grants"))
