"""The case format: broken files and cases give errors naming file, case and field; the rest still load."""

from pathlib import Path

from evals.cases import dataset_paths, load_datasets, load_file


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_dataset_loads_without_errors() -> None:
    loaded = load_datasets(dataset_paths())
    assert loaded.errors == []
    assert len(loaded.cases) >= 200
    assert {case.category for case in loaded.cases} >= {
        "questions", "analytics", "drafts", "writes", "risk", "clarification", "refusals", "injection", "permissions"
    }  # fmt: skip


def test_broken_cases_are_reported_by_file_case_and_field_and_the_rest_load(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mixed.yaml",
        """
defaults: {user: rita.lopez@dealwise.demo}
cases:
  - {id: good, category: questions, ask: "What open deals do I have?"}
  - {id: bad-field, category: questions, ask: hi, expect: {facts: [{count: deals, where: {colour: red}}]}}
  - {id: bad-category, category: gossip, ask: hi}
  - {id: bad-key, category: writes, ask: x, expect: {toolz: [find_deals]}}
  - {id: two-actions, category: writes, turns: [{ask: x, confirm: true}]}
  - {id: good, category: questions, ask: again}
  - {id: also-good, category: analytics, ask: "pipeline?", expect: {tools: [pipeline_summary]}}
""",
    )
    loaded = load_file(path)
    assert [case.id for case in loaded.cases] == ["good", "also-good"]
    by_case = {error.case: error for error in loaded.errors}
    assert by_case["bad-field"].field == "expect.facts.0"
    assert "unknown field 'colour'" in by_case["bad-field"].message
    assert by_case["bad-category"].field == "category"
    assert by_case["bad-key"].field == "expect.toolz"
    assert "exactly one of ask" in by_case["two-actions"].message
    assert "duplicate" in by_case["good"].message
    assert all(error.file == str(path) for error in loaded.errors)
    assert str(path) in str(by_case["bad-field"]) and "bad-field" in str(by_case["bad-field"])


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "cases:\n  - id: a\n    ask: [unclosed\n")
    loaded = load_file(path)
    assert loaded.cases == []
    assert loaded.errors[0].file == str(path)
    assert "invalid YAML at line" in loaded.errors[0].message


def test_a_broken_file_does_not_stop_other_files(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", "cases:\n  - {id: g1, category: questions, user: a@b.c, ask: hi}\n")
    bad = write(tmp_path, "bad.yaml", "just a string\n")
    loaded = load_datasets([bad, good, tmp_path / "missing.yaml"])
    assert [case.id for case in loaded.cases] == ["g1"]
    assert {error.file for error in loaded.errors} == {str(bad), str(tmp_path / "missing.yaml")}


def test_case_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    one = write(tmp_path, "one.yaml", "cases:\n  - {id: same, category: questions, user: a@b.c, ask: hi}\n")
    two = write(tmp_path, "two.yaml", "cases:\n  - {id: same, category: questions, user: a@b.c, ask: hi}\n")
    loaded = load_datasets([one, two])
    assert len(loaded.cases) == 1
    assert loaded.errors[0].file == str(two) and "already used" in loaded.errors[0].message
