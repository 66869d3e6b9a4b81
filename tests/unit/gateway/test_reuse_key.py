from dossier.contracts.enums import Environment
from dossier.gateway.analyses.reuse import reuse_key
from dossier.gateway.legacy.endpoints import split_full_name


def test_reuse_key_separates_partner_environment_client_and_candidate() -> None:
    base = reuse_key("p1", Environment.LIVE, "c1", "k1")

    assert base == reuse_key("p1", Environment.LIVE, "c1", "k1")
    assert base != reuse_key("p2", Environment.LIVE, "c1", "k1")
    assert base != reuse_key("p1", Environment.TEST, "c1", "k1")
    assert base != reuse_key("p1", Environment.LIVE, "c2", "k1")
    assert base != reuse_key("p1", Environment.LIVE, "c1", "k2")


def test_reuse_key_is_unambiguous_when_ids_contain_separators() -> None:
    assert reuse_key("p", Environment.LIVE, "a:b", "c") != reuse_key(
        "p", Environment.LIVE, "a", "b:c"
    )


def test_full_name_splits_into_first_and_rest() -> None:
    assert split_full_name("Jane van der Berg") == ("Jane", "van der Berg")
    assert split_full_name("Cher") == ("Cher", "Cher")
