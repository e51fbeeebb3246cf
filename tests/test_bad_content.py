"""Promise: bad input gets a clear error and loses nothing. Each broken source in
tests/bad_content/ stops `make html` with one error line naming the file and the problem,
and the previous good site in output/ is left byte for byte as it was."""

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_make, tree_digest

CASES = sorted(p.name for p in (Path(__file__).parent / "bad_content").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def good_output(tmp_path_factory):
    output = tmp_path_factory.mktemp("good") / "output"
    result = run_make("html", OUTPUT=output, STAGE=output.parent / "stage")
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_there_are_at_least_ten_kinds_of_bad_input():
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES)
def test_bad_input_stops_the_build_with_one_clear_error(case, good_output, tmp_path):
    case_dir = ROOT / "tests" / "bad_content" / case
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    (broken_file,) = [p.relative_to(case_dir) for p in case_dir.rglob("*.md")]
    shutil.copytree(case_dir, content, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.txt"))
    output = shutil.copytree(good_output, tmp_path / "output")
    before = tree_digest(output)

    result = run_make("html", CONTENT=content, OUTPUT=output, STAGE=tmp_path / "stage")

    assert result.returncode != 0
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error:")]
    expected = (case_dir / "expected-error.txt").read_text("utf-8").strip()
    assert len(errors) == 1, errors
    assert broken_file.as_posix() in errors[0] and expected in errors[0], errors[0]
    assert tree_digest(output) == before, "the failed build changed output/"
    assert not (tmp_path / "stage").exists() or not any((tmp_path / "stage").rglob("*.html"))
