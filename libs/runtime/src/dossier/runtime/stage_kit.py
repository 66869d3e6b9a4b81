"""The collaborators every pipeline stage is built from, wired once."""

from dataclasses import dataclass

from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Stage
from dossier.runtime.collections import CV_KEYS
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.kafka import make_broker
from dossier.runtime.mongo import Document, connect_mongo, database
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.settings import ServiceSettings
from dossier.runtime.stage import StageRunner
from dossier.runtime.stage_timings import StageTimings


@dataclass
class StageKit:
    broker: KafkaBroker
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    read_model: AnalysisReadModel
    vault: CvVault
    runner: StageRunner


def stage_kit(settings: ServiceSettings, *, stage: Stage, topic: str) -> StageKit:
    """Broker, MongoDB, read model, CV vault and the runner for the stage consuming `topic`."""
    broker = make_broker(settings)
    mongo = connect_mongo(settings)
    db = database(mongo, settings)
    read_model = AnalysisReadModel(db)
    vault = CvVault(db[CV_KEYS], settings.cv_master_key_bytes())
    runner = StageRunner(
        service=settings.service_name,
        stage=stage,
        topic=topic,
        read_model=read_model,
        vault=vault,
        broker=broker,
        timings=StageTimings(db),
        max_attempts=settings.stage_max_attempts,
        backoff_seconds=settings.stage_retry_backoff_seconds,
    )
    return StageKit(broker, mongo, db, read_model, vault, runner)
