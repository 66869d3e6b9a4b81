"""Consumer lag, as Prometheus sees it: messages on a topic not yet committed by a group.

Lag is what autoscaling on a stage should look at (KEDA reads the same
number from Kafka); exporting it lets dashboards and alerts see it too.
"""

import asyncio
import logging
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from dossier.runtime import metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LagTarget:
    topic: str
    group_id: str


class LagMeter:
    """Measures lag over one admin client and one consumer kept open between rounds.

    Opening them per measurement cost a connection, a metadata round and a group-coordinator
    lookup every 15 s per service, on the broker and here; kept open, a round is two requests.
    A failed round closes them and the next one reopens."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._clients: tuple[AIOKafkaAdminClient, AIOKafkaConsumer] | None = None

    async def _open(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._clients is None:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
            consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
            try:
                await admin.start()
                await consumer.start()
            except BaseException:
                await _close(admin, consumer)
                raise
            self._clients = (admin, consumer)
        return self._clients

    async def close(self) -> None:
        if self._clients is not None:
            admin, consumer = self._clients
            self._clients = None
            await _close(admin, consumer)

    async def measure(self, target: LagTarget) -> int:
        try:
            admin, consumer = await self._open()
            partitions = consumer.partitions_for_topic(target.topic) or set()
            if not partitions:
                await consumer.topics()
                partitions = consumer.partitions_for_topic(target.topic) or set()
            tps = [TopicPartition(target.topic, p) for p in partitions]
            ends = await consumer.end_offsets(tps)
            committed = await admin.list_consumer_group_offsets(target.group_id, partitions=tps)
        except BaseException:
            await self.close()
            raise
        lag = 0
        for tp in tps:
            offset = committed.get(tp)
            position = offset.offset if offset is not None and offset.offset >= 0 else 0
            lag += max(0, ends.get(tp, 0) - position)
        return lag


async def _close(admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer) -> None:
    for close in (consumer.stop, admin.close):
        try:
            await close()
        except Exception:
            log.debug("closing a lag client failed", exc_info=True)


async def report_lag_forever(
    bootstrap: str, targets: list[LagTarget], every_seconds: float = 15.0
) -> None:
    if not targets:
        return
    meter = LagMeter(bootstrap)
    try:
        while True:
            for target in targets:
                try:
                    lag = await meter.measure(target)
                except Exception:
                    log.warning("could not measure consumer lag", exc_info=True)
                    continue
                metrics.CONSUMER_LAG.labels(target.topic, target.group_id).set(lag)
            await asyncio.sleep(every_seconds)
    finally:
        await meter.close()
