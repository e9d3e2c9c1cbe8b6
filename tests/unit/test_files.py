"""events.files: the one writer of output files refuses the store, inputs, folders and missing folders."""

from __future__ import annotations

import pytest

from events import files


def test_refuses_store_and_its_side_files(tmp_path):
    store = tmp_path / "s.db"
    store.write_bytes(b"store")
    for target in (store, tmp_path / "s.db-wal", tmp_path / "." / "s.db"):
        with pytest.raises(files.OutputError, match="is the store"):
            files.write(target, "x", store=str(store))
    assert store.read_bytes() == b"store"


def test_refuses_inputs_folders_and_missing_folders(tmp_path):
    key = tmp_path / "k"
    key.write_bytes(b"k")
    with pytest.raises(files.OutputError, match="reads"):
        files.write(key, "x", reads=[key])
    with pytest.raises(files.OutputError, match="is a folder"):
        files.write(tmp_path, "x")
    with pytest.raises(files.OutputError, match="does not exist"):
        files.write(tmp_path / "nope" / "x", "x")


def test_writes_atomically_and_replaces(tmp_path):
    target = tmp_path / "out.txt"
    files.write(target, "one")
    files.write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    with pytest.raises(files.OutputError, match="exists already"):
        files.write(target, "three", replace=False)
