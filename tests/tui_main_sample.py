"""Test data for the main-screen tests: the packaged sample department, as the importer reads it."""

from __future__ import annotations

from perfgoals.importers import demo_department
from perfgoals.models import Department


def sample_department() -> Department:
    return demo_department()
