from datetime import UTC, datetime

from bson import ObjectId

from benchmarks.cloning import DocumentCloner, id_tokens, owned_tokens, replacement

ANALYSIS = "an_d974dcc6f03857259bb1de5b"
PARTNER = "ptn_0efa4d2c7085fb94"
REUSE_KEY = "24ca7d5e854b160f7c6fdf293ef018eae9950478444f1710ec82af35ac59b802"
SHARED_SIGNAL = "sig_853494ca59b05d1d"
WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _template() -> list[tuple[str, dict]]:
    return [
        (
            "analyses",
            {
                "_id": ANALYSIS,
                "partner_id": PARTNER,
                "reuse_key": REUSE_KEY,
                "created_at": WHEN,
                "context": {"analysis_id": ANALYSIS, "signals": [SHARED_SIGNAL]},
            },
        ),
        ("analysis_stages", {"_id": f"{ANALYSIS}:report", "analysis_id": ANALYSIS}),
        ("reuse_index", {"_id": f"{REUSE_KEY}#1", "key": REUSE_KEY, "analysis_id": ANALYSIS}),
        ("audit_trail", {"_id": ObjectId(), "target": ANALYSIS, "at": WHEN}),
    ]


def test_id_tokens_are_pieces_with_a_digit_and_a_letter_but_not_dates_or_words():
    assert id_tokens(f"{ANALYSIS}:report") == {ANALYSIS}
    assert id_tokens("2026-12-07T12:19:10.284Z") == set()
    assert id_tokens("analysis.created") == set()
    assert id_tokens("000000000001") == set()


def test_owned_tokens_leave_out_values_other_documents_share():
    template = [doc for _, doc in _template()]
    others = [{"_id": "an_other000000000000000001", "signals": [SHARED_SIGNAL]}]
    owned = owned_tokens(template, others)
    assert {ANALYSIS, PARTNER, REUSE_KEY} <= owned
    assert SHARED_SIGNAL not in owned


def test_owned_tokens_keep_the_inner_id_when_one_contains_another():
    owned = owned_tokens([{"_id": "56c8ca762ba8", "prefix": "ats_live_56c8ca762ba8"}], [])
    assert owned == {"56c8ca762ba8"}


def test_replacement_keeps_length_and_kind_prefix_and_differs_per_copy():
    first, second = replacement(ANALYSIS, 1), replacement(ANALYSIS, 2)
    assert len(first) == len(ANALYSIS)
    assert first.startswith("an_")
    assert first not in (ANALYSIS, second)
    assert replacement(ANALYSIS, 1) == first  # deterministic


def test_a_copy_substitutes_every_occurrence_consistently_including_ids():
    cloner = DocumentCloner(_template(), [ANALYSIS, PARTNER, REUSE_KEY])
    copy = dict(cloner.copy(1))
    new_analysis, new_key = replacement(ANALYSIS, 1), replacement(REUSE_KEY, 1)
    assert copy["analyses"]["_id"] == new_analysis
    assert copy["analyses"]["context"]["analysis_id"] == new_analysis
    assert copy["analyses"]["partner_id"] == replacement(PARTNER, 1)
    assert copy["analysis_stages"]["_id"] == f"{new_analysis}:report"
    assert copy["reuse_index"] == {
        "_id": f"{new_key}#1",
        "key": new_key,
        "analysis_id": new_analysis,
    }


def test_a_copy_keeps_what_holds_no_token_and_never_touches_the_template():
    template = _template()
    cloner = DocumentCloner(template, [ANALYSIS, PARTNER, REUSE_KEY])
    copy = dict(cloner.copy(3))
    assert copy["analyses"]["created_at"] == WHEN
    assert copy["analyses"]["context"]["signals"] == [SHARED_SIGNAL]
    assert template[0][1]["_id"] == ANALYSIS


def test_object_ids_are_left_to_the_driver_and_unkeyed_documents_are_not_copied():
    documents = [*_template(), ("partners", {"_id": "singleton", "owner": PARTNER})]
    cloner = DocumentCloner(documents, [ANALYSIS, PARTNER, REUSE_KEY])
    copies = [cloner.copy(1), cloner.copy(2)]
    audits = [dict(c)["audit_trail"] for c in copies]
    assert all("_id" not in audit for audit in audits)
    assert audits[0] is not audits[1]  # the driver writes an `_id` into each
    assert cloner.singletons == [("partners", "singleton")]
    assert "partners" not in dict(copies[0])


def test_copies_of_different_numbers_never_share_an_id():
    cloner = DocumentCloner(_template(), [ANALYSIS, PARTNER, REUSE_KEY])
    ids = {doc["_id"] for n in range(1, 200) for _, doc in cloner.copy(n) if "_id" in doc}
    assert len(ids) == 3 * 199
