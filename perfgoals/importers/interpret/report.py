"""What an import says besides its data: notes (read but not placed, or to be checked) and obstacles
(what stops the file from being read).  Every reader adds to one :class:`Report`; obstacles are all
collected, and the file is refused once, naming each of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from perfgoals.importers.errors import ImportFailure

#: How many obstacles one message lists.
LISTED_OBSTACLES = 20


@dataclass(frozen=True, slots=True)
class Note:
    """Something the import read but could not place, or that needs checking."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}：{self.message}" if self.place else self.message


class Obstacle(Exception):
    """What stops one table (or the file) from being read: where, and what was expected there."""

    def __init__(self, place: str, message: str) -> None:
        super().__init__(f"{place}：{message}")
        self.note = Note(place, message)


@dataclass(slots=True)
class Report:
    source: str
    notes: list[Note] = field(default_factory=list)
    obstacles: list[Note] = field(default_factory=list)

    def note(self, place: str, message: str) -> None:
        self.notes.append(Note(place, message))

    def obstacle(self, place: str, message: str) -> None:
        note = Note(place, message)
        if note not in self.obstacles:
            self.obstacles.append(note)

    def failure(self) -> ImportFailure | None:
        """One failure naming every obstacle, or ``None`` when there is none."""
        if not self.obstacles:
            return None
        if len(self.obstacles) == 1:
            return ImportFailure(f"{self.source}：{self.obstacles[0]}")
        listed = "；".join(f"{n}) {note}" for n, note in enumerate(self.obstacles[:LISTED_OBSTACLES], start=1))
        more = (
            f"；另有 {len(self.obstacles) - LISTED_OBSTACLES} 处" if len(self.obstacles) > LISTED_OBSTACLES else ""
        )
        return ImportFailure(f"{self.source}：有 {len(self.obstacles)} 处无法读取，未导入：{listed}{more}")
