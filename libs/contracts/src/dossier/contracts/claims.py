"""Structured claims read from a CV. They travel sealed (encrypted) on the bus."""

from pydantic import Field

from dossier.contracts.api import WireModel
from dossier.contracts.enums import AchievementKind, Language


class YearMonth(WireModel):
    """A CV date: the year, and the month when the CV gives one."""

    year: int = Field(ge=1900, le=2200)
    month: int | None = Field(default=None, ge=1, le=12)

    def ordinal(self) -> int:
        """Months since year 0 (a missing month counts as January), for arithmetic."""
        return self.year * 12 + (self.month or 1) - 1


#: Most achievements one position carries, and most topics one achievement names.
MAX_ACHIEVEMENTS = 4
MAX_TOPICS = 4


class Achievement(WireModel):
    """What the CV says the candidate did in one position, as data: a kind of achievement
    and the skills of the CV's own skills list it names (`migrated`, `["Kafka", "Spark"]`).

    A structured summary, never the CV's sentences: the report words it in the requested
    language, and the claims keep carrying no CV text.
    """

    kind: AchievementKind
    topics: list[str] = Field(default_factory=list, max_length=MAX_TOPICS)


class Employment(WireModel):
    employer: str
    title: str | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None
    current: bool = False
    part_time: bool = False
    achievements: list[Achievement] = Field(default_factory=list, max_length=MAX_ACHIEVEMENTS)
    team_size: int | None = Field(
        default=None, ge=2, le=10_000, description="People the candidate led, when the CV says."
    )


class Education(WireModel):
    institution: str
    degree: str | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None


class CvClaims(WireModel):
    """What the CV claims, as data. Never the CV text itself."""

    language: Language | None = None
    full_name: str | None = None
    headline: str | None = None
    location: str | None = None
    employments: list[Employment] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    claimed_years_experience: int | None = None
