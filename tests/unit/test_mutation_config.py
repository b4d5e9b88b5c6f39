"""`make mutation` stays runnable: its patches still apply and its targets still exist.

The mutation run itself is too slow for the normal suite (docs/testing.md); this check is not.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import REPO


def _mutation_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation", REPO / "scripts" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is made
    sys.modules["mutation"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["mutation"]
    return module


def test_mutation_configuration_is_valid() -> None:
    # A must-catch patch whose text no longer occurs (code moved) would silently test nothing.
    assert _mutation_script().problems() == []


def test_a_patch_that_no_longer_applies_is_reported() -> None:
    script = _mutation_script()
    stale = script.Mutation("stale", "domain/triage.py", "text that is not there", "x", ("t",))
    script.MUST_CATCH = (stale,)
    script.MUTMUT_TARGETS = ()
    assert script.problems() == [
        "must-catch 'stale': the text to replace occurs 0 times in src/rugwijzer/domain/triage.py "
        "(expected once): update the patch",
        "must-catch 'stale': no test file t",
    ]
