from dossier.contracts.enums import Environment
from dossier.gateway.auth.keys import V1_KIND, generate_key, hash_key, key_matches, parse_key


def test_generated_key_parses_back_to_its_parts() -> None:
    raw, parsed = generate_key(V1_KIND, Environment.TEST)

    assert raw.startswith("ats_test_")
    assert parse_key(raw) == parsed
    assert raw.startswith(parsed.prefix + "_")


def test_two_keys_never_collide() -> None:
    keys = {generate_key(V1_KIND, Environment.LIVE)[0] for _ in range(200)}

    assert len(keys) == 200


def test_stored_hash_matches_only_the_exact_key() -> None:
    raw, _ = generate_key(V1_KIND, Environment.LIVE)
    stored = hash_key(raw)

    assert key_matches(raw, stored)
    assert not key_matches(raw[:-1] + ("A" if raw[-1] != "A" else "B"), stored)
    assert raw not in stored


def test_malformed_keys_do_not_parse() -> None:
    for raw in ("", "ats_live_", "pk_prod_0123456789ab_" + "x" * 43, "ats_live_XYZ_" + "a" * 43):
        assert parse_key(raw) is None
