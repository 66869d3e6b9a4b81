"""A CV file with no text (a scanned PDF) is a note in the report, in every language."""

import pytest

from dossier.contracts.enums import Language, Stance
from dossier.identity.domain.consistency import check_of, textless_cv_signal, unread_cv_signal
from dossier.identity.domain.findings import Check


@pytest.mark.parametrize("language", list(Language))
def test_a_textless_cv_file_is_a_neutral_finding_in_every_language(language: Language) -> None:
    signal = textless_cv_signal(language)

    assert signal.claim == "cv.text"
    assert check_of(signal) is Check.CV_WITHOUT_TEXT
    assert signal.stance is Stance.NEUTRAL
    assert signal.id == textless_cv_signal(Language.EN).id
    assert signal.id != unread_cv_signal(language).id
    assert signal.statement


def test_each_language_has_its_own_wording() -> None:
    statements = {textless_cv_signal(language).statement for language in Language}

    assert len(statements) == len(Language)
