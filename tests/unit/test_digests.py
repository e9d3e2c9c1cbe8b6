"""SHA-256 and SM3 digests against GB/T 32905 and FIPS 180 vectors, on both SM3 back ends."""

from __future__ import annotations

import pytest

from events import digests

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM3_ABCD16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.fixture(params=["hashlib", "gmssl"])
def backend(request, monkeypatch):
    if request.param == "hashlib" and not digests.HASHLIB_SM3:
        pytest.skip("this Python's OpenSSL has no SM3")
    monkeypatch.setattr(digests, "HASHLIB_SM3", request.param == "hashlib")
    return request.param


def test_sm3_gbt32905_vectors(backend):
    assert digests.sm3_hex(b"abc") == SM3_ABC
    assert digests.sm3_hex(b"abcd" * 16) == SM3_ABCD16


def test_sha256_vector():
    assert digests.sha256_hex(b"abc") == SHA256_ABC


def test_file_digests_read_once_in_chunks_match_one_shot(backend, tmp_path, monkeypatch):
    monkeypatch.setattr(digests, "CHUNK", 7)  # many chunks, one ending mid-block
    data = bytes(range(256)) * 5 + "拓里".encode()
    path = tmp_path / "evidence.bin"
    path.write_bytes(data)
    assert digests.file_digests(path) == (digests.sha256_hex(data), digests.sm3_hex(data))
    (tmp_path / "abc").write_bytes(b"abc")
    assert digests.file_digests(tmp_path / "abc") == (SHA256_ABC, SM3_ABC)
