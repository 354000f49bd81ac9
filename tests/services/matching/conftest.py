"""Fixtures for the matcher tests: one matcher built from the shipped catalogue."""

import pytest

from services.matching.loading import get_matcher
from services.matching.rank import Matcher


@pytest.fixture(name="matcher", scope="session")
def matcher_fixture() -> Matcher:
    return get_matcher("2024")
