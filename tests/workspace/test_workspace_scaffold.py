"""``init_workspace``: profile to fill, one template and dictionary per source, mapping stubs,
raw/ and a bilingual README; a non-empty folder is refused unless forced."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from smartindex.cities import load_profile
from smartindex.errors import DataFileError, SmartIndexError
from smartindex.etl import load_registry
from smartindex.workspace import init_workspace
from smartindex.workspace.scaffold import DICTIONARY_HEADER, column_meanings


def test_every_registry_column_has_a_meaning_in_both_languages() -> None:
    meanings = column_meanings()
    for source in load_registry().sources:
        for column in source.all_columns:
            meaning = meanings.get(f"{source.name}.{column}", meanings.get(column))
            assert meaning is not None, f"{source.name}.{column} has no meaning in columns.toml"
            assert all(m.strip() for m in meaning)


def test_init_writes_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "bandung"
    files = init_workspace(folder, "3273", "Kota Bandung")
    registry = load_registry()
    assert {p.parent.name for p in files} == {"bandung", "templates", "mappings"}
    assert (folder / "raw").is_dir()
    for source in registry.sources:
        with (folder / "templates" / f"{source.name}.csv").open(encoding="utf-8") as fh:
            assert list(csv.reader(fh)) == [list(source.all_columns)]
        with (folder / "templates" / f"{source.name}.dictionary.csv").open(encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == DICTIONARY_HEADER
        assert [r[0] for r in rows[1:]] == list(source.all_columns)
        stub = (folder / "mappings" / f"{source.name}.toml").read_text(encoding="utf-8")
        assert tomllib.loads(stub) == {}  # only comments until the officer fills it
        assert f'# target = "{source.name}"' in stub
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Bahasa Indonesia") < readme.index("## English")


def test_profile_template_is_valid_with_code_and_name(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w", "7371", "Kota Makassar")
    p = load_profile(tmp_path / "w" / "profile.toml")
    assert (p.bps_code, p.kemendagri_code, p.name_id) == ("7371", "73.71", "Kota Makassar")
    assert p.timezone == "Asia/Makassar" and p.slug == "makassar"
    assert p.kecamatan == () and p.agencies == ()


def test_dictionary_marks_required_columns_and_values(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w", "3273", "Kota Bandung")
    path = tmp_path / "w" / "templates" / "complaints.dictionary.csv"
    with path.open(encoding="utf-8") as fh:
        rows = {r["column"]: r for r in csv.DictReader(fh)}
    assert rows["ticket_id"]["required"] == "ya/yes"
    assert rows["rating"]["required"] == "tidak/no"
    assert "Values: received | verified" in rows["status"]["meaning_en"]
    assert rows["created_at"]["type"] == "TIMESTAMP"


def test_non_empty_folder_needs_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DataFileError, match="not empty; use --force"):
        init_workspace(tmp_path, "3273", "Kota Bandung")
    init_workspace(tmp_path, "3273", "Kota Bandung", force=True)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "profile.toml").exists()


@pytest.mark.parametrize(("code", "name"), [("327", "Kota Bandung"), ("3273", "<Bandung>")])
def test_bad_arguments(tmp_path: Path, code: str, name: str) -> None:
    with pytest.raises(SmartIndexError):
        init_workspace(tmp_path / "w", code, name)
    assert not (tmp_path / "w").exists()
