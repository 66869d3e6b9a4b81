"""Kafka (KRaft, one combined node) and FerretDB (SQLite) as local processes on loopback."""

import asyncio
import shutil
import subprocess
import uuid
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from pymongo import MongoClient

from dossier.devstack.paths import ferretdb_binary, kafka_home
from dossier.devstack.processes import ManagedProcess, free_port, port_open

_KAFKA_PROPERTIES = """\
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:{controller_port}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data_dir}
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=24
"""

_LOG4J2 = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
"""


def kafka_process(
    data_dir: Path,
    log_path: Path,
    *,
    port: int,
    controller_port: int | None = None,
    pid_file: Path | None = None,
) -> ManagedProcess:
    """Format the storage on first use, then run the broker with a small heap."""
    home = kafka_home()
    controller_port = controller_port or free_port()
    conf_dir = data_dir / "config"
    logs_dir = data_dir / "logs"
    conf_dir.mkdir(parents=True, exist_ok=True)
    props = conf_dir / "server.properties"
    props.write_text(
        _KAFKA_PROPERTIES.format(port=port, controller_port=controller_port, data_dir=logs_dir)
    )
    (conf_dir / "log4j2.properties").write_text(_LOG4J2)
    java = shutil.which("java") or "java"
    classpath = f"{home / 'libs'}/*"
    jvm = [
        java,
        "-Xms512m",
        "-Xmx512m",
        "-XX:+UseSerialGC",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={conf_dir / 'log4j2.properties'}",
        "-cp",
        classpath,
    ]
    if not (logs_dir / "meta.properties").exists():
        if logs_dir.exists():
            shutil.rmtree(logs_dir)
        subprocess.run(  # noqa: S603 - argv built by us
            [
                *jvm,
                "kafka.tools.StorageTool",
                "format",
                "--standalone",
                "-t",
                uuid.uuid4().hex[:22],
                "-c",
                str(props),
            ],
            check=True,
            capture_output=True,
        )
    return ManagedProcess(
        name="kafka",
        argv=[*jvm, "kafka.Kafka", str(props)],
        log_path=log_path,
        pid_file=pid_file,
        ready=lambda: _kafka_ready(port),
    )


def _kafka_ready(port: int) -> bool:
    """The port answers and the broker serves metadata (the controller has elected itself)."""
    if not port_open(port):
        return False

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}", request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
        except Exception:
            return False
        finally:
            await admin.close()
        return True

    return asyncio.run(probe())


def ferretdb_process(
    data_dir: Path, log_path: Path, *, port: int, pid_file: Path | None = None
) -> ManagedProcess:
    sqlite_dir = data_dir / "sqlite"
    sqlite_dir.mkdir(parents=True, exist_ok=True)
    return ManagedProcess(
        name="ferretdb",
        argv=[
            str(ferretdb_binary()),
            "--handler=sqlite",
            f"--sqlite-url=file:{sqlite_dir}/",
            f"--listen-addr=127.0.0.1:{port}",
            f"--state-dir={data_dir}",
            f"--debug-addr=127.0.0.1:{free_port()}",
            "--telemetry=disable",
            "--log-level=warn",
            "--log-format=json",
        ],
        log_path=log_path,
        pid_file=pid_file,
        ready=lambda: _mongo_ready(port),
    )


def _mongo_ready(port: int) -> bool:
    if not port_open(port):
        return False
    client: MongoClient[dict[str, object]] = MongoClient(
        f"mongodb://127.0.0.1:{port}", serverSelectionTimeoutMS=1000
    )
    try:
        client.admin.command("ping")
    except Exception:
        return False
    finally:
        client.close()
    return True
