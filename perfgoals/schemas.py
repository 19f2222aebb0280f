"""JSON Schemas of the data, generated from the pydantic models into ``schemas/``.

Run ``python -m perfgoals.schemas [FOLDER]`` after changing :mod:`perfgoals.models`; a test fails while
the checked-in files are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from perfgoals.models import DepartmentDocument, Project

#: File name → (model, title).  ``department`` is what ``perfgoals dump`` writes and ``load`` reads.
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "department.schema.json": (DepartmentDocument, "perfgoals 部门年度数据（dump/load 文件）"),
    "project.schema.json": (Project, "perfgoals 项目及其绩效目标表"),
}

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def render_schema(model: type[BaseModel], title: str) -> str:
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT, **model.model_json_schema(mode="serialization")}
    schema["title"] = title
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def render_all() -> dict[str, str]:
    return {name: render_schema(model, title) for name, (model, title) in SCHEMAS.items()}


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas")
    for path in write_all(target):
        print(path)
