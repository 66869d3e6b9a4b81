"""The gateway's collaborators, built once in the app lifespan and shared by requests."""

from dataclasses import dataclass

from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.gateway.analyses.reuse import ReuseIndex
from dossier.gateway.analyses.service import AnalysisService
from dossier.gateway.audit.trail import AuditTrail
from dossier.gateway.auth.repository import PartnerRepository
from dossier.gateway.settings import GatewaySettings
from dossier.runtime.collections import CV_KEYS
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.mongo import Document, database
from dossier.runtime.read_model import AnalysisReadModel


@dataclass
class GatewayContext:
    settings: GatewaySettings
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    broker: KafkaBroker
    read_model: AnalysisReadModel
    partners: PartnerRepository
    vault: CvVault
    reuse: ReuseIndex
    analyses: AnalysisService
    audit: AuditTrail

    @classmethod
    def build(
        cls, settings: GatewaySettings, mongo: AsyncMongoClient[Document], broker: KafkaBroker
    ) -> "GatewayContext":
        db = database(mongo, settings)
        read_model = AnalysisReadModel(db)
        vault = CvVault(db[CV_KEYS], settings.cv_master_key_bytes())
        reuse = ReuseIndex(db)
        audit = AuditTrail(db)
        return cls(
            settings=settings,
            mongo=mongo,
            db=db,
            broker=broker,
            read_model=read_model,
            partners=PartnerRepository(db, auth_cache_seconds=settings.auth_cache_seconds),
            vault=vault,
            reuse=reuse,
            analyses=AnalysisService(read_model, reuse, vault, broker, audit),
            audit=audit,
        )
