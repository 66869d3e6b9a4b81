"""Enumerations shared by the API and the bus. Values are the wire values."""

from enum import StrEnum


class AnalysisStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset(
    {AnalysisStatus.COMPLETED, AnalysisStatus.FAILED, AnalysisStatus.CANCELED}
)
ACTIVE_STATUSES = frozenset({AnalysisStatus.QUEUED, AnalysisStatus.PROCESSING})


class Stage(StrEnum):
    """Pipeline stage, in order: identity → enrichment → report → done."""

    IDENTITY = "identity"
    ENRICHMENT = "enrichment"
    REPORT = "report"
    DONE = "done"


class Level(StrEnum):
    """Quick-signal traffic light."""

    GREEN = "Green"
    ORANGE = "Orange"
    RED = "Red"


class Confidence(StrEnum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


class Reliability(StrEnum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


class Decision(StrEnum):
    GO = "GO"
    GO_WITH_VALIDATION = "GO with validation"
    NO_GO = "NO GO"


class Language(StrEnum):
    EN = "en"
    FR = "fr"
    DE = "de"
    IT = "it"
    ES = "es"


class SourceType(StrEnum):
    """Where a signal comes from. `cv` and `request` are internal consistency checks."""

    CV = "cv"
    REQUEST = "request"
    WEB = "web"
    GITHUB = "github"
    SANCTIONS = "sanctions"
    COMPANY_REGISTRY = "company_registry"
    ACADEMIC = "academic"


class Stance(StrEnum):
    """How a signal relates to the claim it is about."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NEUTRAL = "neutral"


class SourceState(StrEnum):
    """What happened when a source was consulted for one analysis."""

    CHECKED = "checked"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"
    SKIPPED = "skipped"


class Environment(StrEnum):
    """Live keys run real, billed analyses; test keys run the sandbox."""

    LIVE = "live"
    TEST = "test"


class LegacyStatus(StrEnum):
    GENERATED = "generated"
    EXISTING = "existing"
    GENERATING = "generating"
    FAILED = "failed"  # beyond seed 000, which has no word for these outcomes
    CANCELED = "canceled"


class Channel(StrEnum):
    """Which API surface created an analysis."""

    V1 = "v1"
    LEGACY = "legacy"


class FeedbackVerdict(StrEnum):
    """A reviewer's verdict on one signal (`POST /api/v1/analyses/{id}/feedback`)."""

    NOT_THIS_PERSON = "not_this_person"  # the evidence is about someone else (a homonym)
    INCORRECT = "incorrect"  # the evidence is about them but wrong
    CONFIRMED = "confirmed"  # the reviewer checked it: recorded, the report stays

    @property
    def dismisses(self) -> bool:
        """A dismissed signal stays listed but no longer counts: the report is rewritten."""
        return self is not FeedbackVerdict.CONFIRMED


class AchievementKind(StrEnum):
    """What a CV says the candidate did in a position, read from its description lines."""

    LED = "led"
    MIGRATED = "migrated"
    BUILT = "built"
    LAUNCHED = "launched"
    REDUCED_COSTS = "reduced_costs"
    IMPROVED = "improved"
