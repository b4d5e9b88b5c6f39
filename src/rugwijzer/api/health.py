"""Operations: `/healthz` (the process is alive), `/readyz` (it can serve: the database answers
with the newest schema) and `/metrics` (Prometheus).

`/metrics` is for the operator's scraper, never for the public: it answers a client on this
machine (a loopback address, not forwarded by a proxy) or one that sends the configured token
(`RUGWIJZER_METRICS_TOKEN`, as `Authorization: Bearer …`). Everyone else gets the same 404 as a
path that does not exist.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rugwijzer.api.problems import problem_language, problem_response
from rugwijzer.fooddb.database import default_food_database
from rugwijzer.i18n import render_message
from rugwijzer.observability.metrics import CONTENT_TYPE, exposition
from rugwijzer.services.health import LivenessView, ReadinessView, liveness, readiness

__all__ = ["metrics_allowed", "router"]

router = APIRouter(include_in_schema=False, tags=["operations"])

# Headers a reverse proxy adds: a request that carries one came from elsewhere, whatever the
# address of the proxy that passed it on.
_FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")


def _loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def metrics_allowed(request: Request, token: str | None) -> bool:
    """Whether `request` may read /metrics: from a loopback address without a proxy's
    forwarding headers, or with the configured bearer token."""
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.strip().encode()
        ):
            return True
    if any(header in request.headers for header in _FORWARDED):
        return False
    return _loopback(request.client.host if request.client else None)


@router.get("/healthz", response_model=LivenessView)
def healthz() -> LivenessView:
    """The process is alive (the database is not asked)."""
    return liveness(len(default_food_database()))


@router.get("/readyz", response_model=ReadinessView)
def readyz(request: Request) -> Response | ReadinessView:
    """200 when the database answers and its schema is the newest; otherwise 503 with a
    problem+json that says which."""
    view = readiness(request.app.state.engine)
    problem = view.problem()
    if problem is None:
        return view
    return problem_response(
        503,
        "Not ready",
        render_message(problem, problem_language(request)),
        instance=request.url.path,
        code=problem.code.value,
        params=problem.to_json()["params"],
        ready=False,
        database_reachable=view.database_reachable,
        schema_revision=view.schema_revision,
        schema_needed=view.schema_needed,
    )


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """The metrics in the Prometheus text format, for the operator's scraper only."""
    if not metrics_allowed(request, request.app.state.metrics_token):
        raise StarletteHTTPException(status_code=404)
    return Response(exposition(), media_type=CONTENT_TYPE)
