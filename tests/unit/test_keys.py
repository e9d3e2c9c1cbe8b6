"""Ed25519 and SM2 keys: signatures, GB/T 32918 vector, OpenSSL interop, key files, external signers."""

from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from events import checkpoint, keys
from events.keys import ExternalSigner, KeyFileError, PrivateKey, PublicKey

OPENSSL = shutil.which("openssl")
SM2_ARGS = ["-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678"]

# GB/T 32918.5-2017 (GM/T 0003.5-2012) Annex A: signature on the recommended curve.
VEC_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
VEC_P = bytes.fromhex("04" "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
                      "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
VEC_R = int("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3", 16)
VEC_S = int("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA", 16)


def der_rs(r: int, s: int) -> bytes:
    def integer(v: int) -> bytes:
        b = v.to_bytes((v.bit_length() + 8) // 8, "big")
        return bytes([2, len(b)]) + b
    body = integer(r) + integer(s)
    return bytes([0x30, len(body)]) + body


def openssl_has_sm2() -> bool:
    if not OPENSSL:
        return False
    return subprocess.run([OPENSSL, "genpkey", "-algorithm", "SM2"], capture_output=True).returncode == 0


needs_sm2_openssl = pytest.mark.skipif(not openssl_has_sm2(), reason="no openssl command with SM2")


@pytest.mark.parametrize("algorithm", keys.ALGORITHMS)
def test_sign_verify_and_refusals(algorithm):
    key = keys.generate(algorithm)
    message = "拓里 checkpoint 42\n".encode()
    signature = key.sign(message)
    assert key.public.verify(message, signature)
    assert not key.public.verify(message + b"x", signature)
    assert not keys.generate(algorithm).public.verify(message, signature)
    flipped = bytearray(signature)
    flipped[len(flipped) // 2] ^= 1
    for bad in (bytes(flipped), b"", b"\x30", signature[:-1], b"\x00" * 200):
        assert key.public.verify(message, bad) is False
    assert key.public.fingerprint.startswith(algorithm + ":") and len(key.public.fingerprint.split(":")[1]) == 32


def test_gbt32918_signature_vector_verifies_and_the_private_key_matches_it():
    public = PublicKey("sm2", VEC_P)
    assert public.verify(b"message digest", der_rs(VEC_R, VEC_S))
    assert not public.verify(b"message digesT", der_rs(VEC_R, VEC_S))
    assert not public.verify(b"message digest", der_rs(VEC_R, VEC_S + 1))
    key = PrivateKey("sm2", VEC_D, public)  # refuses a public key that does not match
    assert public.verify(b"message digest", key.sign(b"message digest"))
    with pytest.raises(ValueError):
        PrivateKey("sm2", VEC_D, keys.generate("sm2").public)


def test_bad_public_keys_are_refused():
    with pytest.raises(ValueError):
        PublicKey("sm2", VEC_P[:-1] + bytes([VEC_P[-1] ^ 1]))  # off the curve
    with pytest.raises(ValueError):
        PublicKey("ed25519", b"\x00" * 31)
    with pytest.raises(ValueError):
        PublicKey("rsa", b"\x00" * 32)


@needs_sm2_openssl
def test_sm2_interop_with_openssl_both_ways(tmp_path):
    key = keys.generate("sm2")
    keys.write_keypair(tmp_path / "k", key)
    message = tmp_path / "m"
    message.write_bytes("修复 ledger\n".encode())
    (tmp_path / "ours.sig").write_bytes(key.sign(message.read_bytes()))
    ok = subprocess.run([OPENSSL, "pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "k.pub", "-in", message,
                         "-sigfile", tmp_path / "ours.sig", *SM2_ARGS], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    subprocess.run([OPENSSL, "pkeyutl", "-sign", "-inkey", tmp_path / "k", "-in", message,
                    "-out", tmp_path / "theirs.sig", *SM2_ARGS], check=True, capture_output=True)
    theirs = (tmp_path / "theirs.sig").read_bytes()
    assert key.public.verify(message.read_bytes(), theirs)
    assert not key.public.verify(message.read_bytes() + b" ", theirs)


@needs_sm2_openssl
def test_openssl_generated_keys_load_plain_and_encrypted(tmp_path):
    subprocess.run([OPENSSL, "genpkey", "-algorithm", "SM2", "-out", tmp_path / "o.pem"], check=True)
    subprocess.run([OPENSSL, "pkey", "-in", tmp_path / "o.pem", "-aes256", "-passout", "pass:pw",
                    "-out", tmp_path / "o-enc.pem"], check=True)
    subprocess.run([OPENSSL, "pkey", "-in", tmp_path / "o.pem", "-pubout", "-out", tmp_path / "o.pub"], check=True)
    plain = keys.load_private(tmp_path / "o.pem")
    assert keys.load_private(tmp_path / "o-enc.pem", b"pw").public == plain.public == keys.load_public(tmp_path / "o.pub")
    subprocess.run([OPENSSL, "genpkey", "-algorithm", "ed25519", "-out", tmp_path / "e.pem"], check=True)
    assert keys.load_private(tmp_path / "e.pem").algorithm == "ed25519"


@pytest.mark.parametrize("algorithm", keys.ALGORITHMS)
def test_keypair_files_round_trip_and_openssl_reads_them(tmp_path, algorithm, monkeypatch):
    monkeypatch.setattr(keys, "PBKDF2_ITERATIONS", 2048)  # the default is slow on purpose
    key = keys.generate(algorithm)
    private, pub, vkey = keys.write_keypair(tmp_path / "official", key, passphrase=b"pw", name="tuoli.example/official")
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert keys.load_private(private, b"pw").public == key.public
    assert keys.load_public(pub) == keys.load_public(vkey) == key.public
    assert vkey.read_text().startswith("tuoli.example/official+")
    if OPENSSL and (algorithm == "ed25519" or openssl_has_sm2()):
        text = subprocess.run([OPENSSL, "pkey", "-pubin", "-in", pub, "-noout", "-text"], capture_output=True, text=True)
        assert text.returncode == 0, text.stderr
        assert ("SM2" in text.stdout) == (algorithm == "sm2")
        assert subprocess.run([OPENSSL, "pkey", "-in", private, "-passin", "pass:pw", "-noout"]).returncode == 0


def test_existing_checkpoint_keys_load(tmp_path):
    """Key files written by the first release's keygen (plain PKCS#8 / SubjectPublicKeyInfo PEM) still load."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    old = Ed25519PrivateKey.generate()
    (tmp_path / "cp").write_bytes(old.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    (tmp_path / "cp.pub").write_bytes(old.public_key().public_bytes(serialization.Encoding.PEM,
                                                                    serialization.PublicFormat.SubjectPublicKeyInfo))
    key = keys.load_private(tmp_path / "cp")
    assert keys.load_public(tmp_path / "cp.pub") == key.public
    signature = key.sign(b"x")
    checkpoint.load_public(tmp_path / "cp.pub").verify(signature, b"x")


def test_key_file_failures_are_one_line_errors_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(keys, "PBKDF2_ITERATIONS", 2048)
    key = keys.generate("sm2")
    keys.write_keypair(tmp_path / "k", key, passphrase=b"right")
    (tmp_path / "junk").write_text("hello\n")
    (tmp_path / "link").symlink_to(tmp_path / "k")
    cases = [
        (lambda: keys.load_private(tmp_path / "missing"), "no such file"),
        (lambda: keys.load_private(tmp_path / "junk"), "not a usable private key"),
        (lambda: keys.load_private(tmp_path / "k", b"wrong"), "wrong passphrase"),
        (lambda: keys.load_private(tmp_path / "k"), "passphrase is needed"),
        (lambda: keys.load_private(tmp_path / "link", b"right"), "symlink"),
        (lambda: keys.load_public(tmp_path / "k.pub.missing"), "no such file"),
        (lambda: keys.load_public(tmp_path / "k"), "not a usable public key"),
        (lambda: keys.write_keypair(tmp_path / "k", key), "exists already"),
        (lambda: keys.write_keypair(tmp_path / "link", key, force=True), "symlink"),
        (lambda: keys.write_keypair(tmp_path / "nodir" / "k", key), "does not exist"),
    ]
    for call, words in cases:
        with pytest.raises(KeyFileError) as error:
            call()
        message = str(error.value)
        assert words in message and "\n" not in message, message
    assert keys.load_private(tmp_path / "k", b"right").public == key.public  # nothing was clobbered


def test_force_replaces_and_no_temp_files_are_left(tmp_path):
    first, second = keys.generate("ed25519"), keys.generate("ed25519")
    keys.write_keypair(tmp_path / "k", first)
    keys.write_keypair(tmp_path / "k", second, force=True)
    assert keys.load_private(tmp_path / "k").public == second.public
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k", "k.pub", "k.vkey"]


def signer_script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "signer.py"
    script.write_text(body)
    return f"{sys.executable} {script} {tmp_path / 'k'}"


def test_external_signer_runs_a_program_that_prints_base64(tmp_path):
    key = keys.generate("ed25519")
    keys.write_keypair(tmp_path / "k", key)
    command = signer_script(tmp_path, (
        "import base64, sys\n"
        "from cryptography.hazmat.primitives.serialization import load_pem_private_key\n"
        "key = load_pem_private_key(open(sys.argv[1], 'rb').read(), None)\n"
        "print(base64.b64encode(key.sign(sys.stdin.buffer.read())).decode())\n"))
    signer = ExternalSigner(command, key.public)
    assert key.public.verify(b"note body\n", signer.sign(b"note body\n"))
    with pytest.raises(KeyFileError, match="does not verify"):
        ExternalSigner(command, keys.generate("ed25519").public).sign(b"x")


@pytest.mark.parametrize("body, words", [
    ("import sys; sys.stderr.write('token locked\\n'); sys.exit(3)", "exited with 3: token locked"),
    ("print('not base64!')", "did not print a base64 signature"),
    ("import time; time.sleep(5)", "within 0.5 s"),
])
def test_external_signer_failures(tmp_path, body, words):
    signer = ExternalSigner(signer_script(tmp_path, body), keys.generate("ed25519").public, timeout=0.5)
    with pytest.raises(KeyFileError, match=words):
        signer.sign(b"x")
    with pytest.raises(KeyFileError, match="no such program"):
        ExternalSigner("/nonexistent/ukey-tool sign", signer.public).sign(b"x")


@needs_sm2_openssl
def test_openssl_as_an_external_sm2_signer(tmp_path):
    key = keys.generate("sm2")
    keys.write_keypair(tmp_path / "k", key)
    command = (f"sh -c 'openssl pkeyutl -sign -inkey {tmp_path / 'k'} -rawin -digest sm3 "
               f"-pkeyopt distid:1234567812345678 | base64'")
    signature = ExternalSigner(command, key.public).sign(b"checkpoint\n")
    assert key.public.verify(b"checkpoint\n", signature)
    assert base64.b64encode(signature)
