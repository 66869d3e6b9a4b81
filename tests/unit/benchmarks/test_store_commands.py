from benchmarks.store_commands import (
    commands_between,
    nested,
    parse_ferretdb_commands,
    parse_store_commands,
)

EXPOSITION = """\
# HELP dossier_store_commands_total Store commands sent.
# TYPE dossier_store_commands_total counter
dossier_store_commands_total{service="gateway",command="find",collection="analyses"} 12.0
dossier_store_commands_total{service="gateway",command="insert",collection="analyses"} 3.0
dossier_store_commands_created{service="gateway",command="find",collection="analyses"} 1.7e+09
# HELP dossier_http_requests_total HTTP requests served.
# TYPE dossier_http_requests_total counter
dossier_http_requests_total{route="/x",method="GET",status="200"} 5.0
"""


def test_parse_reads_the_counter_per_command_and_collection():
    assert parse_store_commands(EXPOSITION) == {
        ("find", "analyses"): 12.0,
        ("insert", "analyses"): 3.0,
    }


def test_a_service_without_the_counter_reads_as_none_and_a_declared_one_as_empty():
    assert parse_store_commands("# TYPE other_total counter\nother_total 1.0\n") is None
    declared = (
        "# HELP dossier_store_commands_total x\n# TYPE dossier_store_commands_total counter\n"
    )
    assert parse_store_commands(declared) == {}


def test_commands_between_subtracts_and_propagates_missing_metrics():
    before = {"gateway": {("find", "analyses"): 2.0}, "billing": None}
    after = {"gateway": {("find", "analyses"): 5.0, ("insert", "ledger"): 1.0}, "billing": None}
    delta = commands_between(before, after)
    assert delta == {
        "gateway": {("find", "analyses"): 3.0, ("insert", "ledger"): 1.0},
        "billing": None,
    }
    assert nested(delta["gateway"]) == {"find": {"analyses": 3.0}, "insert": {"ledger": 1.0}}


def test_ferretdb_count_leaves_out_handshakes_and_heartbeats():
    exposition = (
        'ferretdb_client_requests_total{command="find",opcode="OP_MSG"} 7\n'
        'ferretdb_client_requests_total{command="update",opcode="OP_MSG"} 2\n'
        'ferretdb_client_requests_total{command="hello",opcode="OP_MSG"} 40\n'
        'ferretdb_client_requests_total{command="ping",opcode="OP_MSG"} 9\n'
    )
    assert parse_ferretdb_commands(exposition) == {("find", "*"): 7.0, ("update", "*"): 2.0}
