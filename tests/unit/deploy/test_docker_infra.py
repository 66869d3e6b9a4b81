"""`DOSSIER_INFRA=docker` (tests/conftest.py) against the installed testcontainers, checked
without a container engine: the modules and calls it uses exist with these signatures, the
Kafka image passes the library's own KRaft check, and the addresses the containers report
(host from `get_container_host_ip()`, mapped ports, MongoDB root credentials) reach the
tests and the services unchanged. Starting the containers needs an engine; none was here."""

import inspect
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from pymongo.uri_parser import parse_uri
from testcontainers.community.kafka import KafkaContainer
from testcontainers.community.mongodb import MongoDbContainer
from testcontainers.core.container import DockerContainer

from dossier.devstack.stack import StackConfig
from tests.conftest import KAFKA_IMAGE, MONGO_IMAGE, Infra, docker_infra

DOCKER_HOST = "docker.example.internal"


class OfflineKafka(KafkaContainer):
    """The library's KafkaContainer as if started on a remote Docker host (no engine call)."""

    def __init__(self) -> None:  # skips DockerClient(): no engine on this machine
        self.port = 9093

    def get_container_host_ip(self) -> str:
        return DOCKER_HOST

    def get_exposed_port(self, port: int) -> int:
        assert port == 9093
        return 32801


class OfflineMongo(MongoDbContainer):
    """The library's MongoDbContainer with its default credentials, as if started."""

    def __init__(self, username: str = "test", password: str = "test") -> None:
        self.username, self.password, self.port = username, password, 27017
        self._container = object()  # "started"

    def get_container_host_ip(self) -> str:
        return DOCKER_HOST

    def get_exposed_port(self, port: int) -> int:
        assert port == 27017
        return 32802


def test_the_conftest_imports_the_current_modules_without_deprecation_warnings() -> None:
    source = Path(__file__).resolve().parents[2].joinpath("conftest.py").read_text()

    assert "from testcontainers.community.kafka import KafkaContainer" in source
    assert "from testcontainers.community.mongodb import MongoDbContainer" in source
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        __import__("testcontainers.community.kafka")
        __import__("testcontainers.community.mongodb")


def test_the_kafka_image_passes_the_librarys_kraft_check() -> None:
    """`with_kraft()` compares the image tag with Confluent Platform 7.0.0; `apache/kafka:4.x`
    fails it (and lacks the /etc/confluent/docker scripts KafkaContainer runs)."""
    stand_in = SimpleNamespace(image=KAFKA_IMAGE, MIN_KRAFT_TAG=KafkaContainer.MIN_KRAFT_TAG)

    KafkaContainer._verify_min_kraft_version(stand_in)  # type: ignore[arg-type]

    assert KAFKA_IMAGE.startswith("confluentinc/cp-kafka:")
    with pytest.raises(ValueError, match="not supported in Kraft mode"):
        KafkaContainer._verify_min_kraft_version(  # type: ignore[arg-type]
            SimpleNamespace(image="apache/kafka:4.1.1", MIN_KRAFT_TAG="7.0.0")
        )


def test_the_container_apis_used_have_these_signatures() -> None:
    assert list(inspect.signature(KafkaContainer.__init__).parameters)[:2] == ["self", "image"]
    assert list(inspect.signature(KafkaContainer.with_kraft).parameters) == ["self"]
    assert list(inspect.signature(KafkaContainer.get_bootstrap_server).parameters) == ["self"]
    assert list(inspect.signature(MongoDbContainer.__init__).parameters)[:2] == ["self", "image"]
    assert list(inspect.signature(MongoDbContainer.get_connection_url).parameters) == ["self"]
    assert hasattr(DockerContainer, "get_container_host_ip")
    assert hasattr(DockerContainer, "__enter__") and hasattr(DockerContainer, "__exit__")
    assert MONGO_IMAGE.startswith("mongo:7")


def test_kafka_is_reached_on_the_docker_host_and_the_mapped_port(tmp_path: Path) -> None:
    infra = docker_infra(tmp_path, OfflineKafka().get_bootstrap_server(), "mongodb://h:1")

    assert infra.bootstrap == f"{DOCKER_HOST}:32801"
    assert (infra.kafka_host, infra.kafka_port) == (DOCKER_HOST, 32801)


def test_mongo_is_reached_with_the_containers_credentials(tmp_path: Path) -> None:
    url = OfflineMongo(password="p@ss:word").get_connection_url()

    infra = docker_infra(tmp_path, "k:1", url)
    parsed = parse_uri(infra.mongo_url)

    assert parsed["nodelist"] == [(DOCKER_HOST, 32802)]
    assert (parsed["username"], parsed["password"]) == ("test", "p@ss:word")
    assert parsed["database"] is None  # root users authenticate against `admin`
    assert infra.mongo_port == 32802


def test_the_services_get_the_same_addresses_as_the_tests(tmp_path: Path) -> None:
    infra = docker_infra(
        tmp_path, OfflineKafka().get_bootstrap_server(), OfflineMongo().get_connection_url()
    )

    config = StackConfig(
        state_dir=tmp_path,
        kafka_port=infra.kafka_port,
        mongo_port=infra.mongo_port,
        kafka_host=infra.kafka_host,
        mongo_url_override=infra.mongo_url,
    )
    env = config.service_environment("billing")

    assert env["DOSSIER_KAFKA_BOOTSTRAP_SERVERS"] == infra.bootstrap
    assert env["DOSSIER_MONGO_URL"] == infra.mongo_url


def test_local_processes_keep_their_loopback_addresses(tmp_path: Path) -> None:
    infra = Infra.local(tmp_path, 19092, 27018)

    assert infra.bootstrap == "127.0.0.1:19092"
    assert infra.mongo_url == "mongodb://127.0.0.1:27018"
    assert (infra.kafka_port, infra.mongo_port) == (19092, 27018)


def test_a_mongo_url_with_a_database_path_is_refused(tmp_path: Path) -> None:
    """A database in the path would make it the authentication database: root logins fail."""
    with pytest.raises(ValueError, match="without a database"):
        docker_infra(tmp_path, "k:1", "mongodb://test:test@h:1/test")
