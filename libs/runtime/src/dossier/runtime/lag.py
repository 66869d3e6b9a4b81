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


async def measure_lag(bootstrap: str, target: LagTarget) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(target.topic) or set()
        if not partitions:
            await consumer.topics()
            partitions = consumer.partitions_for_topic(target.topic) or set()
        tps = [TopicPartition(target.topic, p) for p in partitions]
        ends = await consumer.end_offsets(tps)
        committed = await admin.list_consumer_group_offsets(target.group_id, partitions=tps)
        lag = 0
        for tp in tps:
            offset = committed.get(tp)
            position = offset.offset if offset is not None and offset.offset >= 0 else 0
            lag += max(0, ends.get(tp, 0) - position)
        return lag
    finally:
        await consumer.stop()
        await admin.close()


async def report_lag_forever(
    bootstrap: str, targets: list[LagTarget], every_seconds: float = 15.0
) -> None:
    while True:
        for target in targets:
            try:
                lag = await measure_lag(bootstrap, target)
            except Exception:
                log.warning("could not measure consumer lag", exc_info=True)
                continue
            metrics.CONSUMER_LAG.labels(target.topic, target.group_id).set(lag)
        await asyncio.sleep(every_seconds)
