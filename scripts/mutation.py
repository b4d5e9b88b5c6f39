#!/usr/bin/env python3
"""Mutation testing of the code that keeps users apart and keeps them safe.

Aimed at the access checks (accounts: grants, revocation, `require_access`; the user filters of
the diary's queries), the supplement limits and hard stops, and triage. Two parts:

* **must-catch**: hand-written mutations of the kinds issue #10 found alive (a user filter
  removed from a query, an access check ignoring which client granted access, a hard stop
  skipped on one surface, triage boundaries moved). Each is applied to a temporary copy of
  src/ and its named tests are run against that copy: every one must make a test fail.
* **mutmut** over the functions in `MUTMUT_TARGETS` (all of their mutants, or for the large
  diary summaries only those that touch a line mentioning `user_id`), each mutant tested with
  the tests that reach the function (mutmut records which ones).

    python scripts/mutation.py check        # the configuration is valid (cheap; also a test)
    python scripts/mutation.py must-catch [NAME ...]
    python scripts/mutation.py mutmut [--max-children N]
    python scripts/mutation.py all          # must-catch, then mutmut (what `make mutation` runs)

Exit status: 1 when a must-catch mutation survives or cannot be applied; mutmut's survivors are
reported, not failed on (many are harmless, e.g. a changed error message).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = SRC / "rugwijzer"

# --- must-catch mutations -------------------------------------------------------------------

# Test selections. Globs name the files other parts of issue #10 add (the authorization
# matrix, the hard-stop tests, the triage edges); a glob may match nothing yet, a plain path
# must exist.
ACCESS_TESTS = (
    "tests/integration/test_authorization*.py",
    "tests/integration/test_api.py",
    "tests/integration/test_account_pages.py",
    "tests/integration/test_web.py",
    "tests/integration/test_store.py",
)
SUPPLEMENT_TESTS = (
    "tests/unit/test_supplement*.py",
    "tests/unit/test_references.py",
    "tests/**/test_hard_stop*.py",
    "tests/integration/test_cli_safety.py",
    "tests/integration/test_pages.py",
    "tests/integration/test_api.py",
)
#: Supplement labels (issue #15): the reading counted against the upper limit.
LABEL_TESTS = ("tests/unit/test_labels.py", "tests/integration/test_labels.py")
PROGRESS_TESTS = (
    "tests/unit/test_progress*.py",
    "tests/integration/test_*effect*.py",
)
AIDS_TESTS = (
    "tests/unit/test_aids*.py",
    "tests/integration/test_aids*.py",
)
TRIAGE_TESTS = (
    "tests/unit/test_triage*.py",
    "tests/integration/test_cli_safety.py",
    "tests/integration/test_api.py",
    "tests/integration/test_pages.py",
)


@dataclass(frozen=True)
class Mutation:
    """A textual patch: `before` must occur exactly once in `path` (relative to src/rugwijzer)."""

    name: str
    path: str
    before: str
    after: str
    tests: tuple[str, ...]


MUST_CATCH: tuple[Mutation, ...] = (
    # access checks -----------------------------------------------------------------------------
    Mutation(
        "require_access ignores which client granted access",
        "services/accounts.py",
        "select(AccessGrant.id).where(\n                    AccessGrant.user_id == user_id,\n",
        "select(AccessGrant.id).where(\n",
        ACCESS_TESTS,
    ),
    Mutation(
        "require_access ignores which practitioner was granted access",
        "services/accounts.py",
        "                    AccessGrant.user_id == user_id,\n"
        "                    AccessGrant.practitioner_id == practitioner_id,\n",
        "                    AccessGrant.user_id == user_id,\n",
        ACCESS_TESTS,
    ),
    Mutation(
        "require_access accepts a revoked grant",
        "services/accounts.py",
        "                    AccessGrant.practitioner_id == practitioner_id,\n"
        "                    AccessGrant.revoked_at.is_(None),\n"
        "                )\n"
        "            )\n"
        "            if found is None:",
        "                    AccessGrant.practitioner_id == practitioner_id,\n"
        "                )\n"
        "            )\n"
        "            if found is None:",
        ACCESS_TESTS,
    ),
    Mutation(
        "revoke: another user's grant",
        "services/accounts.py",
        "if grant is None or grant.user_id != user_id or grant.revoked_at is not None:",
        "if grant is None or grant.revoked_at is not None:",
        ACCESS_TESTS,
    ),
    Mutation(
        "grants: every user's grants listed",
        "services/accounts.py",
        ".where(AccessGrant.user_id == user_id, AccessGrant.revoked_at.is_(None))",
        ".where(AccessGrant.revoked_at.is_(None))",
        ACCESS_TESTS,
    ),
    Mutation(
        "clients: every practitioner's clients listed",
        "services/accounts.py",
        "AccessGrant.practitioner_id == practitioner_id, AccessGrant.revoked_at.is_(None)",
        "AccessGrant.revoked_at.is_(None)",
        ACCESS_TESTS,
    ),
    # user filters in the diary (the queries in store/queries.py and the services' use of them)
    Mutation(
        "owned: another user's entry is found",
        "store/queries.py",
        "    if row is None or row.user_id != user_id:\n",
        "    if row is None:\n",
        ACCESS_TESTS,
    ),
    Mutation(
        "PUT /me/meals/{id}: edit_meal without the user filter",
        "services/entries.py",
        "            meal = queries.owned(\n"
        "                session, MealEntry, meal_id, user_id, selectinload(MealEntry.items)\n"
        "            )\n"
        "            if day is not None:",
        "            meal = session.get(MealEntry, meal_id)\n            if day is not None:",
        ACCESS_TESTS,
    ),
    Mutation(
        "correct_item without the user filter",
        "services/entries.py",
        "            meal = queries.owned(\n"
        "                session, MealEntry, meal_id, user_id, selectinload(MealEntry.items)\n"
        "            )\n"
        "            item = next(",
        "            meal = session.get(MealEntry, meal_id)\n            item = next(",
        ACCESS_TESTS,
    ),
    Mutation(
        "delete_entry without the user filter",
        "services/entries.py",
        "row = queries.owned(session, model, entry_id, user_id)",
        "row = session.get(model, entry_id)",
        ACCESS_TESTS,
    ),
    Mutation(
        "end_change without the user filter",
        "services/entries.py",
        "row = queries.owned(session, Change, change_id, user_id)",
        "row = session.get(Change, change_id)",
        ACCESS_TESTS,
    ),
    Mutation(
        "list_entries without the user filter",
        "store/queries.py",
        "        query.where(model.user_id == user_id)\n",
        "        query\n",
        ACCESS_TESTS,
    ),
    Mutation(
        "GET /me/period: meals without the user filter",
        "store/queries.py",
        ".where(MealEntry.user_id == _USER, MealEntry.eaten_on >= _START, "
        "MealEntry.eaten_on <= _END)",
        ".where(MealEntry.eaten_on >= _START, MealEntry.eaten_on <= _END)",
        ACCESS_TESTS,
    ),
    Mutation(
        "the day: meals without the user filter",
        "store/queries.py",
        '.where(MealEntry.user_id == _USER, MealEntry.eaten_on == bindparam("day", type_=Date()))',
        '.where(MealEntry.eaten_on == bindparam("day", type_=Date()))',
        ACCESS_TESTS,
    ),
    Mutation(
        "GET /me/period and the day: supplements without the user filter",
        "store/queries.py",
        "        SupplementEntry.user_id == _USER,\n        SupplementEntry.taken_on >= _START,\n",
        "        SupplementEntry.taken_on >= _START,\n",
        ACCESS_TESTS,
    ),
    Mutation(
        "GET /me/period: check-ins without the user filter",
        "store/queries.py",
        "CheckIn.user_id == user_id, CheckIn.day >= start, CheckIn.day <= end",
        "CheckIn.day >= start, CheckIn.day <= end",
        ACCESS_TESTS,
    ),
    Mutation(
        "day: the check-in without the user filter",
        "store/queries.py",
        'select(CheckIn).where(CheckIn.user_id == _USER, CheckIn.day == bindparam("day"))',
        'select(CheckIn).where(CheckIn.day == bindparam("day"))',
        ACCESS_TESTS,
    ),
    Mutation(
        "export without the user filter",
        "store/queries.py",
        "query = select(model).where(model.user_id == user_id).order_by(order)",
        "query = select(model).order_by(order)",
        ACCESS_TESTS,
    ),
    Mutation(
        "red flag: another user's triage shown",
        "store/queries.py",
        '.where(Assessment.user_id == _USER, Assessment.kind == "triage")',
        '.where(Assessment.kind == "triage")',
        ACCESS_TESTS,
    ),
    Mutation(
        "delete everything: every user's entries deleted",
        "store/queries.py",
        "session.execute(delete(model).where(model.user_id == user_id))",
        "session.execute(delete(model))",
        ACCESS_TESTS,
    ),
    # hard stops and supplement limits ---------------------------------------------------------
    Mutation(
        "kidney disease is no hard stop",
        "domain/supplements.py",
        "if flags.kidney_disease or (",
        "if (",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "eGFR of exactly 30 counts as severe",
        "domain/supplements.py",
        "flags.egfr_ml_min < SEVERE_RENAL_EGFR",
        "flags.egfr_ml_min <= SEVERE_RENAL_EGFR",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "heart-rhythm problems are no hard stop",
        "domain/supplements.py",
        '    if flags.heart_rhythm_problems:\n        hard_stops.append("stop.heart_rhythm")\n',
        "",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "pregnancy is no hard stop",
        "domain/supplements.py",
        '    if profile.pregnant:\n        hard_stops.append("stop.pregnancy")\n',
        "",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "a child of exactly 4 counts as under 4",
        "domain/supplements.py",
        "profile.age_years < MIN_AGE_FOR_SELF_CARE",
        "profile.age_years <= MIN_AGE_FOR_SELF_CARE",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "a dose is suggested despite a hard stop",
        "domain/supplements.py",
        "if self.hard_stops or self.upper_limit.value is None:",
        "if self.upper_limit.value is None:",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "exactly the upper limit counts as over it",
        "domain/supplements.py",
        "    elif total > limit:\n",
        "    elif total >= limit:\n",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "an ambiguous form counts at its lowest elemental amount",
        "services/safety.py",
        "elemental = amount.high_mg",
        "elemental = amount.low_mg",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "a label that reads two ways counts its lower figure",
        "domain/labels.py",
        "        return max(candidates)",
        "        return min(candidates)",
        LABEL_TESTS,
    ),
    Mutation(
        "the label's servings a day win over the user's",
        "services/safety.py",
        "servings = given_servings or reading.servings_per_day or 1.0",
        "servings = reading.servings_per_day or given_servings or 1.0",
        LABEL_TESTS,
    ),
    Mutation(
        "the upper limit of another reference system",
        "services/targets.py",
        "limit_table = data.upper_limits.get(reference)",
        'limit_table = data.upper_limits.get("nih")',
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "an age band's lower edge belongs to the band below",
        "domain/references.py",
        "self.age_from <= profile.age_years < self.age_to",
        "self.age_from < profile.age_years <= self.age_to",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "eGFR ignored when read from JSON (CLI and API)",
        "services/safety.py",
        "egfr_ml_min=checked.egfr,",
        "egfr_ml_min=None,",
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "Supplements page ignores kidney disease",
        "web/pages.py",
        "profile, flags, reference = inputs",
        "profile, flags, reference = (inputs[0], "
        '__import__("dataclasses").replace(inputs[1], kidney_disease=False), inputs[2])',
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "Today and POST /me/supplements ignore kidney disease (stored profile)",
        "services/safety.py",
        "profile, flags, reference = inputs",
        "profile, flags, reference = (inputs[0], "
        '__import__("dataclasses").replace(inputs[1], kidney_disease=False), inputs[2])',
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "Today page drops the hard stops",
        "web/pages.py",
        '"supplement_stops": advice["hard_stops"] if advice else [],',
        '"supplement_stops": [],',
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "rugwijzer supplement check and POST /supplements/check ignore kidney disease",
        "services/safety.py",
        "flags, food_mg = health_flags_from_mapping(cast(dict[str, Any], profile_data))",
        "flags, food_mg = health_flags_from_mapping("
        '{**cast(dict[str, Any], profile_data), "kidney_disease": False})',
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "the CLI prints no hard stop",
        "cli/safety.py",
        'for stop in advice["hard_stops"]:',
        'for stop in advice["hard_stops"][:0]:',
        SUPPLEMENT_TESTS,
    ),
    Mutation(
        "rugwijzer log supplement does not print the stops",
        "cli/diary.py",
        "print_hard_stops(row.supplement_advice, say)",
        "pass",
        SUPPLEMENT_TESTS,
    ),
    # triage -----------------------------------------------------------------------------------
    Mutation(
        "triage: age 50 counts as over 50",
        "domain/triage.py",
        "(age_years > 50 or age_years < 20)",
        "(age_years >= 50 or age_years < 20)",
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: age 20 counts as under 20",
        "domain/triage.py",
        "(age_years > 50 or age_years < 20)",
        "(age_years > 50 or age_years <= 20)",
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: pain of exactly 6 weeks counts as new",
        "domain/triage.py",
        "(pain_weeks is None or pain_weeks < NEW_PAIN_WEEKS)",
        "(pain_weeks is None or pain_weeks <= NEW_PAIN_WEEKS)",
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: an unknown duration does not count as new pain",
        "domain/triage.py",
        "(pain_weeks is None or pain_weeks < NEW_PAIN_WEEKS)",
        "(pain_weeks is not None and pain_weeks < NEW_PAIN_WEEKS)",
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: leg pain of exactly 6 weeks is not lasting",
        "domain/triage.py",
        'yes("leg_pain_below_knee") and pain_weeks is not None and pain_weeks >= NEW_PAIN_WEEKS',
        'yes("leg_pain_below_knee") and pain_weeks is not None and pain_weeks > NEW_PAIN_WEEKS',
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: 6 weeks counts as acute",
        "domain/triage.py",
        "    if pain_weeks < 6:\n",
        "    if pain_weeks <= 6:\n",
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: 12 weeks counts as chronic",
        "domain/triage.py",
        "    if pain_weeks <= 12:\n",
        "    if pain_weeks < 12:\n",
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: the least urgent flag decides",
        "domain/triage.py",
        "urgency = max((flag.urgency for flag in reasons), default=Urgency.NONE)",
        "urgency = min((flag.urgency for flag in reasons), default=Urgency.NONE)",
        TRIAGE_TESTS,
    ),
    Mutation(
        "triage: an unknown answer counts as yes",
        "domain/triage.py",
        "return answers.get(key) is True",
        "return answers.get(key) is not False",
        TRIAGE_TESTS,
    ),
    # Every practitioner read of a client's data (export and report, API and pages) goes through
    # AccountService.read_client: its grant check and its audit record.
    Mutation(
        "a client's data read without the client's grant",
        "services/accounts.py",
        "        self.require_access(practitioner_id, client_id)\n"
        "        return self.audit.audited_read(",
        "        return self.audit.audited_read(",
        ACCESS_TESTS,
    ),
    Mutation(
        "a practitioner's read of a client's data not recorded",
        "services/accounts.py",
        "        return self.audit.audited_read(practitioner_id, client_id, resource, read)\n",
        "        return read()\n",
        (*ACCESS_TESTS, "tests/integration/test_access_audit.py"),
    ),
    # did it help? no credit the data cannot give ----------------------------------------------
    Mutation(
        "effect: improved without reaching the minimal important change",
        "domain/progress.py",
        "if low > 0 and better >= mic:",
        "if low > 0:",
        PROGRESS_TESTS,
    ),
    Mutation(
        "effect: a flare before the start stays in the baseline",
        "domain/progress.py",
        "    if flare:\n        before = [",
        "    if flare and False:\n        before = [",
        PROGRESS_TESTS,
    ),
    Mutation(
        "effect: an earlier trend is never carried forward",
        "domain/progress.py",
        "if math.copysign(1.0, slope) == math.copysign(1.0, fit.delta):",
        "if False:",
        PROGRESS_TESTS,
    ),
    Mutation(
        "effect: consecutive days taken as independent",
        "domain/progress.py",
        "        rho = _estimate_rho(np.column_stack([design, t, t * after_flag]), y, gaps)",
        "        rho = 0.0",
        PROGRESS_TESTS,
    ),
    Mutation(
        "effect: days either side of a gap treated as neighbours",
        "domain/progress.py",
        "    phi = rho**gaps",
        "    phi = rho ** np.ones_like(gaps)",
        PROGRESS_TESTS,
    ),
    # aids: advice never above the evidence -------------------------------------------------------
    Mutation(
        "aids: a lumbar support suggested for relief",
        "domain/aids.py",
        '        _item("lumbar_support", "not_recommended", goal),',
        '        _item("lumbar_support", "consider" if relief else "not_recommended", goal),',
        AIDS_TESTS,
    ),
    Mutation(
        "aids: a red flag does not suppress the suggestions",
        "domain/aids.py",
        "    if urgency > Urgency.NONE:\n        # Red flags",
        "    if urgency > Urgency.EMERGENCY:\n        # Red flags",
        AIDS_TESTS,
    ),
    Mutation(
        "aids: heat suggested for long-lasting pain",
        "domain/aids.py",
        '"consider" if relief and acute else "no_evidence"',
        '"consider" if relief else "no_evidence"',
        AIDS_TESTS,
    ),
    Mutation(
        "aids: products shown where the evidence advises against the aid",
        "services/aids.py",
        "                if item.recommendation in SHOWS_PRODUCTS and not advice.red_flag\n",
        "                if True\n",
        AIDS_TESTS,
    ),
    Mutation(
        "aids: any signed-in role manages the catalogue",
        "api/aids.py",
        '    if who.role != "admin":\n        raise NotFoundError(Code.ACCOUNT_NOT_FOUND)',
        "    if False:\n        raise NotFoundError(Code.ACCOUNT_NOT_FOUND)",
        (*ACCESS_TESTS, "tests/integration/test_api_aids.py"),
    ),
    Mutation(
        "frames: pages other than the widget may be framed",
        "web/guards.py",
        'headers.append("content-security-policy", policy)\n'
        '                    headers.append("x-frame-options", "DENY")\n',
        "pass\n",
        ("tests/integration/test_embed.py", "tests/integration/test_security_headers.py"),
    ),
    Mutation(
        "CSP: inline script allowed on the pages",
        "web/guards.py",
        "\"default-src 'self'; script-src 'self'; ",
        "\"default-src 'self'; script-src 'self' 'unsafe-inline'; ",
        ("tests/integration/test_security_headers.py",),
    ),
    Mutation(
        "guards: a write from another site is carried out",
        "web/guards.py",
        "not in _SAFE_METHODS and self._cross_site(headers, host):\n",
        "not in _SAFE_METHODS and False:\n",
        ("tests/integration/test_guards.py",),
    ),
    Mutation(
        "guards: local mode answers a foreign host name (DNS rebinding)",
        "web/guards.py",
        "            if self.loopback_only and not is_loopback_host(host):\n",
        "            if False:\n",
        ("tests/integration/test_guards.py",),
    ),
    Mutation(
        "PgBouncer: psycopg prepares statements on the server",
        "store/engine.py",
        '        "prepare_threshold": None,\n',
        '        "prepare_threshold": 5,\n',
        ("tests/integration/test_pgbouncer.py",),
    ),
    Mutation(
        "privacy: a failed print passes on what the printer said (the document)",
        "web/pdf_printer.py",
        '            raise PrintFailedError(f"the printer exited with status '
        '{child.returncode}")\n',
        '            raise PrintFailedError(f"the printer exited with status '
        '{child.returncode}: {_!r}")\n',
        ("tests/integration/test_report_render.py",),
    ),
    Mutation(
        "memory: the report prints inside the app process",
        "web/pdf_printer.py",
        "        with self._printing:\n            child = self._take()\n",
        "        with self._printing:\n            return print_here(html)\n"
        "            child = self._take()\n",
        ("tests/integration/test_report_render.py",),
    ),
    Mutation(
        "aids: a catalogue with a bad row is imported in part",
        "domain/aids.py",
        "    if problems:\n        raise InvalidRowsError(",
        "    if problems and not products:\n        raise InvalidRowsError(",
        AIDS_TESTS,
    ),
)

# --- mutmut targets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A function to mutate; with `only_lines_with`, only mutants whose change touches a line
    containing that text (the large diary summaries: their user filters, not their sums)."""

    module: str
    qualname: str
    only_lines_with: str | None = None

    @property
    def path(self) -> Path:
        return SRC / (self.module.replace(".", "/") + ".py")

    @property
    def mangled(self) -> str:
        """The prefix of mutmut 3's mutant names for this function."""
        if "." in self.qualname:
            cls, name = self.qualname.split(".")
            return f"{self.module}.x\u01c1{cls}\u01c1{name}__mutmut_"
        return f"{self.module}.x_{self.qualname}__mutmut_"


_ACCOUNTS = "rugwijzer.services.accounts"
_ENTRIES = "rugwijzer.services.entries"
_SUMMARIES = "rugwijzer.services.summaries"
_PORTABILITY = "rugwijzer.services.portability"
_QUERIES = "rugwijzer.store.queries"
MUTMUT_TARGETS: tuple[Target, ...] = (
    *(
        Target(_ACCOUNTS, f"AccountService.{name}")
        for name in ("require_access", "grant", "grants", "revoke", "clients")
    ),
    *(
        Target(_ENTRIES, f"EntryService.{name}")
        for name in (
            "delete_entry",
            "edit_meal",
            "correct_item",
            "end_change",
            "list_entries",
            "acknowledge_red_flag",
        )
    ),
    Target(_PORTABILITY, "PortabilityService.delete_everything"),
    Target(_SUMMARIES, "latest_red_flag"),
    *(
        Target(_SUMMARIES, f"SummaryService.{name}", only_lines_with="user_id")
        for name in ("day", "period")
    ),
    Target(_PORTABILITY, "PortabilityService.export", only_lines_with="user_id"),
    # The user filters themselves: every query of a user's rows.
    *(
        Target(_QUERIES, name)
        for name in (
            "owned",
            "meals_between",
            "supplements_between",
            "checkins_between",
            "checkin_on",
            "changes_until",
            "latest_triage",
            "owned_rows",
            "page",
            "has_entries",
            "delete_entries",
        )
    ),
    Target("rugwijzer.domain.supplements", "check_supplements"),
    Target("rugwijzer.domain.references", "lookup_target"),
    Target("rugwijzer.domain.references", "ReferenceRow.matches"),
    Target("rugwijzer.services.targets", "targets_for"),
    # The surfaces (supplement_check_view, health_flags_from_mapping and the pages) are left to
    # the must-catch patches: most of their mutants change wording, and a run would take longer.
    Target("rugwijzer.services.safety", "intakes_from_json"),
    Target("rugwijzer.domain.triage", "triage"),
    Target("rugwijzer.domain.triage", "duration_class"),
    Target("rugwijzer.domain.triage", "parse_answers"),
)


# --- checks ---------------------------------------------------------------------------------


def _defined(path: Path) -> set[str]:
    """Module-level functions and class methods of a file, as `f` and `Class.f`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            methods = (item for item in node.body if isinstance(item, ast.FunctionDef))
            names.update(f"{node.name}.{item.name}" for item in methods)
    return names


def expand_tests(patterns: tuple[str, ...] | list[str]) -> list[str]:
    """Test files for `patterns`: globs expanded (sorted), plain paths kept."""
    found: list[str] = []
    for pattern in patterns:
        if any(char in pattern for char in "*?["):
            found.extend(str(p.relative_to(REPO)) for p in sorted(REPO.glob(pattern)))
        else:
            found.append(pattern)
    return list(dict.fromkeys(found))


def mutmut_config() -> dict[str, list[str]]:
    """The [tool.mutmut] table of pyproject.toml."""
    with (REPO / "pyproject.toml").open("rb") as handle:
        return dict(tomllib.load(handle)["tool"]["mutmut"])


def problems() -> list[str]:
    """Everything wrong with the configuration (an empty list when it is valid)."""
    found: list[str] = []
    names = [m.name for m in MUST_CATCH]
    for name, count in Counter(names).items():
        if count > 1:
            found.append(f"must-catch: the name {name!r} is used {count} times")
    for mutation in MUST_CATCH:
        path = PACKAGE / mutation.path
        if not path.is_file():
            found.append(f"must-catch {mutation.name!r}: no file src/rugwijzer/{mutation.path}")
            continue
        count = path.read_text(encoding="utf-8").count(mutation.before)
        if count != 1:
            found.append(
                f"must-catch {mutation.name!r}: the text to replace occurs {count} times in "
                f"src/rugwijzer/{mutation.path} (expected once): update the patch"
            )
        if mutation.before == mutation.after:
            found.append(f"must-catch {mutation.name!r}: the patch changes nothing")
        tests = expand_tests(mutation.tests)
        if not tests:
            found.append(f"must-catch {mutation.name!r}: no test file matches {mutation.tests}")
        found.extend(
            f"must-catch {mutation.name!r}: no test file {test}"
            for test in tests
            if not (REPO / test).is_file()
        )
    config = mutmut_config()
    only = config.get("only_mutate", [])
    for target in MUTMUT_TARGETS:
        relative = str(target.path.relative_to(REPO))
        if not target.path.is_file():
            found.append(f"mutmut target {target.qualname}: no file {relative}")
            continue
        if target.qualname not in _defined(target.path):
            found.append(f"mutmut target {target.module}.{target.qualname} is not defined")
        if relative not in only:
            found.append(f"mutmut target {target.qualname}: {relative} is not in only_mutate")
    for path in only:
        if not (REPO / path).is_file():
            found.append(f"[tool.mutmut] only_mutate: no file {path}")
    for path in config.get("pytest_add_cli_args_test_selection", []):
        if not (REPO / path).exists():
            found.append(f"[tool.mutmut] pytest_add_cli_args_test_selection: no {path}")
    return found


# --- must-catch runner ----------------------------------------------------------------------


def _copy_package(into: Path) -> Path:
    target = into / "src" / "rugwijzer"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target.parent


def _pytest(src: Path, tests: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH comes before the editable install's path, so the copy is what gets imported.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(REPO)])}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, *tests]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)


def _failed_tests(output: str) -> list[str]:
    return re.findall(r"^(?:FAILED|ERROR) (\S+)", output, flags=re.MULTILINE)


def _try(mutation: Mutation) -> tuple[str, str]:
    """Apply one mutation to its own copy of src/ and run its tests → (verdict, detail)."""
    with tempfile.TemporaryDirectory(prefix="rugwijzer-mutation-") as tmp:
        src = _copy_package(Path(tmp))
        path = src / "rugwijzer" / mutation.path
        original = path.read_text(encoding="utf-8")
        if original.count(mutation.before) != 1:
            return "ERROR", "the patch does not apply (see `check`)"
        path.write_text(original.replace(mutation.before, mutation.after), encoding="utf-8")
        started = time.monotonic()
        result = _pytest(src, expand_tests(mutation.tests), "-x")
        seconds = f"{time.monotonic() - started:.0f} s"
    if result.returncode == 1:
        return "caught", f"({seconds}) by {', '.join(_failed_tests(result.stdout)[:3])}"
    if result.returncode == 0:
        return "SURVIVED", f"({seconds})"
    return "ERROR", f"pytest exit {result.returncode}\n{result.stdout[-2000:]}"


def run_must_catch(selected: list[str], jobs: int) -> int:
    """Apply each mutation to a copy of src/ and run its tests; 1 when any survives."""
    mutations = [m for m in MUST_CATCH if not selected or m.name in selected]
    unknown = set(selected) - {m.name for m in MUST_CATCH}
    if unknown:
        print(f"unknown mutation(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rugwijzer-mutation-") as tmp:
        src = _copy_package(Path(tmp))
        where = subprocess.run(
            [sys.executable, "-c", "import rugwijzer; print(rugwijzer.__file__)"],
            env={**os.environ, "PYTHONPATH": str(src)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not where.startswith(str(src)):
            print(f"the copy is not what gets imported ({where})", file=sys.stderr)
            return 2
        # Without a mutation every test must pass, or a failure would count as a catch.
        baseline_tests = expand_tests([t for m in mutations for t in m.tests])
        started = time.monotonic()
        baseline = _pytest(src, baseline_tests, "-x")
        if baseline.returncode != 0:
            print(baseline.stdout[-3000:])
            print("the tests fail without any mutation: fix them first", file=sys.stderr)
            return 2
        seconds = time.monotonic() - started
        print(f"baseline: {len(baseline_tests)} test files pass ({seconds:.0f} s)")
    started = time.monotonic()
    verdicts: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_try, mutation): mutation for mutation in mutations}
        for future in as_completed(futures):
            verdict, detail = future.result()
            verdicts[futures[future].name] = verdict
            print(f"{verdict:<8} {futures[future].name} {detail}")
    missed = [name for name, verdict in verdicts.items() if verdict != "caught"]
    minutes = (time.monotonic() - started) / 60
    caught = len(mutations) - len(missed)
    print(f"\nmust-catch: {caught} of {len(mutations)} caught ({minutes:.1f} min)")
    for name in missed:
        print(f"  not caught: {name}")
    return 1 if missed else 0


# --- mutmut runner --------------------------------------------------------------------------


def _mutant_functions(path: Path) -> dict[str, str]:
    """mutmut's mutated file: each mutant's (and each original's) function source by name."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: dict[str, str] = {}
    # by line numbers: ast.get_source_segment splits the whole file again for every function
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name:
            found[node.name] = "\n".join(lines[node.lineno - 1 : node.end_lineno])
    return found


def _changed_lines(original: str, mutant: str) -> list[str]:
    # line by line (ndiff's character matching takes minutes over hundreds of mutants)
    diff = difflib.unified_diff(original.splitlines()[1:], mutant.splitlines()[1:], n=0)
    return [line[1:] for line in diff if line[:1] in "-+" and not line.startswith(("---", "+++"))]


def select_mutants() -> tuple[list[str], dict[str, str]]:
    """The names of the mutants to run, and each one's changed lines (for the report)."""
    chosen: list[str] = []
    changes: dict[str, str] = {}
    for target in MUTMUT_TARGETS:
        functions = _mutant_functions(REPO / "mutants" / target.path.relative_to(REPO))
        local = target.mangled.split(".")[-1]
        original = functions.get(local + "orig", "")
        for name, body in functions.items():
            suffix = name.removeprefix(local)
            if not name.startswith(local) or not suffix.isdigit():
                continue
            changed = _changed_lines(original.replace(local + "orig", name), body)
            if target.only_lines_with and not any(target.only_lines_with in c for c in changed):
                continue
            full = target.mangled + suffix
            chosen.append(full)
            changes[full] = " | ".join(c.strip() for c in changed)
    return chosen, changes


def _mutmut(*args: str, log: Path) -> int:
    binary = Path(sys.executable).with_name("mutmut")
    with log.open("a", encoding="utf-8") as handle:
        return subprocess.run(
            [str(binary), *args], cwd=REPO, stdout=handle, stderr=subprocess.STDOUT, check=False
        ).returncode


def _results() -> dict[str, int | None]:
    exit_codes: dict[str, int | None] = {}
    for meta in (REPO / "mutants").rglob("*.py.meta"):
        exit_codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return exit_codes


def run_mutmut(max_children: int, *, keep: bool = False) -> int:
    """A fresh mutmut run over the targets (with `keep`, on the mutants already generated);
    prints the survivors with their changes."""
    from mutmut.stats import status_by_exit_code

    log = REPO / "mutants" / "run.log"
    started = time.monotonic()
    if not (keep and (REPO / "mutants" / "mutmut-stats.json").is_file()):
        shutil.rmtree(REPO / "mutants", ignore_errors=True)
        (REPO / "mutants").mkdir()
        # One small mutant first: mutmut generates all mutants and records which tests reach
        # which function (its "stats"), so the rest can be chosen from the generated code.
        # (A pattern that matches nothing is an error in mutmut.)
        first = "rugwijzer.domain.triage.x_duration_class__mutmut_1"
        code = _mutmut("run", "--max-children", str(max_children), first, log=log)
        if code != 0:
            print(f"mutmut could not prepare the run (exit {code}); see {log}", file=sys.stderr)
            return 2
    prepared = time.monotonic() - started
    names, changes = select_mutants()
    code = _mutmut("run", "--max-children", str(max_children), *names, log=log)
    total = time.monotonic() - started
    statuses = {name: status_by_exit_code[code] for name, code in _results().items()}
    chosen = {name: statuses.get(name, "not checked") for name in names}
    by_target: dict[str, Counter[str]] = {}
    for target in MUTMUT_TARGETS:
        counts: Counter[str] = Counter(
            status for name, status in chosen.items() if name.startswith(target.mangled)
        )
        by_target[f"{target.module.removeprefix('rugwijzer.')}.{target.qualname}"] = counts
    print(f"mutmut: {len(names)} mutants in {total / 60:.1f} min ({prepared:.0f} s to prepare)")
    for label, counts in by_target.items():
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        print(f"  {label}: {summary}")
    print("\nsurvivors (the changed lines: - original, + mutant):")
    for name, status in sorted(chosen.items()):
        if status != "killed":
            print(f"  [{status}] {name}\n      {changes.get(name, '')}")
    overall = Counter(chosen.values())
    print(f"\nmutmut: {dict(overall)}; details: `.venv/bin/mutmut show NAME`, log {log}")
    return 0 if code == 0 else 2


def main(argv: list[str] | None = None) -> int:
    """Command line: check | must-catch [NAME ...] | mutmut | all."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("check", "must-catch", "mutmut", "all"))
    parser.add_argument("names", nargs="*", help="must-catch: only these mutations")
    parser.add_argument("--jobs", type=int, default=2, help="must-catch mutations at a time")
    parser.add_argument("--max-children", type=int, default=2, help="mutmut workers")
    parser.add_argument(
        "--keep", action="store_true", help="mutmut: reuse mutants/ from the last run"
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress in a log
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        return 2
    if args.command == "check":
        print(f"valid: {len(MUST_CATCH)} must-catch mutations, {len(MUTMUT_TARGETS)} targets")
        return 0
    status = 0
    if args.command in ("must-catch", "all"):
        status = run_must_catch(args.names, args.jobs)
    if args.command in ("mutmut", "all"):
        status = max(status, run_mutmut(args.max_children, keep=args.keep))
    return status


if __name__ == "__main__":
    sys.exit(main())
