"""`dossier-stack`: provision, start and stop the local stack (what `make run/up/down` call)."""

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import time

from dossier.devstack.demo import run_demo
from dossier.devstack.infra import store_backend
from dossier.devstack.paths import state_dir
from dossier.devstack.processes import StartupError
from dossier.devstack.provision import ProvisioningError, provision_all
from dossier.devstack.stack import (
    DEMO_PARTNER_FILE,
    SERVICES,
    LocalStack,
    StackConfig,
    http_ready,
    stop_detached,
)


def _config() -> StackConfig:
    env = os.environ
    ports = {
        s.name: int(env.get(f"DOSSIER_STACK_{s.name.upper()}_PORT", s.default_port))
        for s in SERVICES
    }
    try:
        backend = store_backend(env)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from exc
    return StackConfig(
        state_dir=state_dir(),
        kafka_port=int(env.get("DOSSIER_STACK_KAFKA_PORT", 9092)),
        kafka_controller_port=int(env.get("DOSSIER_STACK_KAFKA_CONTROLLER_PORT", 9093)),
        mongo_port=int(env.get("DOSSIER_STACK_MONGO_PORT", 27017)),
        store_backend=backend,
        postgres_port=int(env.get("DOSSIER_STACK_POSTGRES_PORT", 55432)),
        ports=ports,
    )


def _demo_partner(config: StackConfig) -> dict[str, str]:
    """The demo partner's keys, created once per state folder and shown on every `up`."""
    path = config.state_dir / DEMO_PARTNER_FILE
    if path.exists():
        saved: dict[str, str] = json.loads(path.read_text())
        return saved
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "dossier.gateway.admin_cli",
            "partners",
            "create",
            "--name",
            "Demo Partner",
            "--json",
        ],
        env={**os.environ, **config.service_environment("gateway")},
        capture_output=True,
        text=True,
        check=True,
    )
    partner: dict[str, str] = json.loads(out.stdout)
    path.write_text(json.dumps(partner, indent=2))
    path.chmod(0o600)
    return partner


def _banner(config: StackConfig, partner: dict[str, str]) -> None:
    print(
        f"""
Dossier is running.
  gateway      {config.gateway_url}   (readiness: {config.gateway_url}/readyz)
  kafka        {config.bootstrap}
  mongodb      {config.mongo_url}  ({config.store_description})
  logs         {config.logs}/<service>.log
  demo partner {partner["partner_id"]} (platform {partner["platform_id"]})
    X-API-Key:     {partner["api_key"]}
    X-Partner-Key: {partner["partner_key"]}

  demo ATS     {config.gateway_url}/demo/ats   (the report button, on the sandbox key)

  curl -s -H "X-API-Key: {partner["api_key"]}" {config.gateway_url}/api/v1/analyses/<id>
""",
        flush=True,
    )


def _run(config: StackConfig) -> LocalStack:
    """Start everything afresh in this process (a previous `up` is stopped first)."""
    stop_detached(config)
    stack = LocalStack(config)
    try:
        stack.start()
    except StartupError as exc:
        stack.stop()
        print(f"start-up failed: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    _banner(config, _demo_partner(config))
    return stack


def _up(config: StackConfig) -> LocalStack:
    """Start what is not running, leave what is: on a stack with a dead part (a crashed
    service, a killed FerretDB or Kafka), `up` brings that part back and nothing else."""
    stack = LocalStack(config)
    try:
        state = stack.revive()
    except StartupError as exc:
        stack.stop()  # only what this call started
        print(f"start-up failed: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    started = [name for name, how in state.items() if how == "started"]
    kept = [name for name, how in state.items() if how == "running"]
    print(
        f"started: {', '.join(started) or 'nothing'}; already running: {', '.join(kept) or 'nothing'}"
    )
    _banner(config, _demo_partner(config))
    return stack


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="dossier-stack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "provision", help="download/build Kafka and FerretDB into the cache (idempotent)"
    )
    sub.add_parser(
        "up",
        help="start detached whatever is not running (all of it, or a crashed part), "
        "leave running parts alone; return once /readyz is green",
    )
    sub.add_parser("run", help="start everything in the foreground; Ctrl-C stops it")
    sub.add_parser("down", help="stop everything an earlier `up` started")
    demo = sub.add_parser("demo", help="run one sample candidate through the running stack")
    demo.add_argument(
        "--sandbox", action="store_true", help="use the sandbox key: fixture sources, never billed"
    )
    args = parser.parse_args(argv)
    config = _config()

    if args.command == "provision":
        try:
            provision_all(config.store_backend)
        except ProvisioningError as exc:
            print(exc, file=sys.stderr)
            raise SystemExit(1) from exc
    elif args.command == "up":
        _up(config)
    elif args.command == "run":
        stack = _run(config)
        stopping = False

        def _stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        print("Press Ctrl-C to stop.", flush=True)
        while not stopping:
            dead = [p.name for p in stack.processes() if not p.running()]
            if dead:
                print(
                    f"stopped unexpectedly: {', '.join(dead)} — see {config.logs}", file=sys.stderr
                )
                break
            time.sleep(1)
        print("stopping…", flush=True)
        stack.stop()
    elif args.command == "demo":
        if not http_ready(f"{config.gateway_url}/readyz"):
            _up(config)
        partner = _demo_partner(config)
        key = partner["test_api_key"] if args.sandbox else partner["api_key"]
        raise SystemExit(run_demo(config, key, config.state_dir / "demo"))
    elif args.command == "down":
        stopped = stop_detached(config)
        print(f"stopped: {', '.join(stopped) or 'nothing was running'}")


if __name__ == "__main__":
    main()
