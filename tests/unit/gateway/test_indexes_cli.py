"""`dossier indexes list`: offline, one line per index, or the Markdown page."""

import pytest

from dossier.gateway.admin_cli import main
from dossier.runtime.indexes import INDEXES, markdown_document


def run(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit:
        main(list(argv))
    return int(exit.value.code or 0)


def test_list_prints_each_index_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("indexes", "list") == 0

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(INDEXES)
    assert lines[0] == (
        "partners {platform_id: 1} unique  # "
        "two partners never share a platform id (legacy API authentication)"
    )
    assert any(" ttl=0s  # expired rate-limit slots" in line for line in lines)


def test_list_markdown_prints_the_docs_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("indexes", "list", "--markdown") == 0

    assert capsys.readouterr().out == markdown_document()
