"""Algorithm-tagged signing keys (Ed25519, SM2) for people and checkpoints, and their files.

Ed25519 comes from `cryptography`; SM2 (GB/T 32918, SM3 digest, user id 1234567812345678,
DER r||s signatures, the form `openssl pkeyutl -rawin -digest sm3 -pkeyopt
distid:1234567812345678` makes and checks) from GmSSL through `gmssl-pyx`, whose nonces come
from GmSSL's system RNG. Key files are PKCS#8 / SubjectPublicKeyInfo PEM that OpenSSL reads;
an encrypted private key is PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), as `openssl pkey -aes256`
writes it. A key may also be written down as a C2SP signed-note verifier key (`.vkey`).

Every failure of a key file is one KeyFileError line naming the file and the problem.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import shlex
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import gmssl_pyx
from asn1crypto import algos, core
from asn1crypto import keys as asn1keys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from events.errors import BadInput

ALGORITHMS = ("ed25519", "sm2")
SM2_USER_ID = b"1234567812345678"
SM2_CURVE_OID = "1.2.156.10197.1.301"
EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1"
ED25519_OID = "1.3.101.112"
PBKDF2_ITERATIONS = 600_000
MAX_KEY_FILE = 64 * 1024
_SM2_N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)

# The signed-note type identifiers (c2sp.org/signed-note): 0x01 Ed25519, 0x04 Ed25519
# cosignature/v1, and for SM2 the reserved 0xff followed by this project's longer identifier
# (NUL-terminated so that no key material can extend it).
NOTE_ED25519 = b"\x01"
NOTE_COSIGNATURE_V1 = b"\x04"
NOTE_SM2 = b"\xff" + b"minerehab/sm2-sm3/v1" + b"\x00"

# SubjectPublicKeyInfo DER up to the point: SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 }, BIT STRING
_SM2_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")


# asn1crypto sizes EC private keys by their named curve; teach it the SM2 curve (GB/T 32918.5).
if SM2_CURVE_OID not in asn1keys.NamedCurve._key_sizes:
    asn1keys.NamedCurve.register("sm2p256v1", SM2_CURVE_OID, 32)


class KeyFileError(BadInput, ValueError):
    """A key file or key that cannot be used; the message is one line naming it."""


@lru_cache(maxsize=1024)
def _ed25519(raw: bytes) -> Ed25519PublicKey:
    """One key object per public key: a verifier checks millions of events against a few keys."""
    return Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=1024)
def _sm2_point(raw: bytes) -> bytes:
    """The 64-byte x||y of a 65-byte uncompressed SM2 point, refused unless on the curve."""
    if len(raw) != 65 or raw[0] != 4:
        raise ValueError("an SM2 public key is a 65-byte uncompressed point (04 || x || y)")
    try:
        return gmssl_pyx.normalize_sm2_public_key(raw)
    except gmssl_pyx.InvalidValueError:
        raise ValueError("the SM2 public key is not a point on the curve") from None


@dataclass(frozen=True)
class PublicKey:
    """A public key: algorithm name and raw bytes (32-byte Ed25519; 65-byte 04||x||y SM2)."""

    algorithm: str
    raw: bytes

    def __post_init__(self) -> None:
        if self.algorithm == "ed25519":
            if len(self.raw) != 32:
                raise ValueError("an Ed25519 public key is 32 bytes")
        elif self.algorithm == "sm2":
            _sm2_point(self.raw)
        else:
            raise ValueError(f"unknown key algorithm {self.algorithm!r} (known: {', '.join(ALGORITHMS)})")

    @property
    def fingerprint(self) -> str:
        return f"{self.algorithm}:{hashlib.sha256(self.raw).hexdigest()[:32]}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True only for a valid signature of message; never raises for bad input."""
        try:
            if self.algorithm == "ed25519":
                _ed25519(self.raw).verify(bytes(signature), bytes(message))
                return True
            if not 8 <= len(signature) <= 72 or signature[0] != 0x30:
                return False
            return bool(gmssl_pyx.sm2_verify(_sm2_point(self.raw), bytes(message), bytes(signature), SM2_USER_ID))
        except (InvalidSignature, ValueError, TypeError, gmssl_pyx.GmsslInnerError):
            return False

    def der(self) -> bytes:
        """SubjectPublicKeyInfo DER (for SM2: id-ecPublicKey with the SM2 curve OID)."""
        if self.algorithm == "sm2":
            return _SM2_SPKI_PREFIX + self.raw
        return Ed25519PublicKey.from_public_bytes(self.raw).public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

    def pem(self) -> str:
        return _pem("PUBLIC KEY", self.der())

    @classmethod
    def from_der(cls, der: bytes) -> PublicKey:
        if der.startswith(_SM2_SPKI_PREFIX):
            return cls("sm2", der[len(_SM2_SPKI_PREFIX):])
        try:
            key = serialization.load_der_public_key(der)
        except (ValueError, TypeError) as error:
            raise ValueError(f"not a public key we can use ({_first_line(error)})") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"a {type(key).__name__.removesuffix('PublicKey') or 'other'} public key, "
                             "not Ed25519 or SM2")
        return cls("ed25519", key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


class PrivateKey:
    """A private key that signs; `public` is its PublicKey."""

    def __init__(self, algorithm: str, secret: bytes, public: PublicKey | None = None):
        if algorithm == "ed25519":
            if len(secret) != 32:
                raise ValueError("an Ed25519 private key is a 32-byte seed")
            self._ed = Ed25519PrivateKey.from_private_bytes(secret)
            derived = PublicKey("ed25519", self._ed.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw))
            if public is not None and public != derived:
                raise ValueError("the stored public key does not belong to the private key")
            public = derived
        elif algorithm == "sm2":
            d = int.from_bytes(secret, "big")
            if len(secret) != 32 or not 0 < d < _SM2_N - 1:
                raise ValueError("an SM2 private key is a 32-byte scalar in [1, n-2]")
            if public is None:
                raise ValueError("an SM2 private key file must carry its public key")
            probe = b"minerehab key check"
            if not public.verify(probe, gmssl_pyx.sm2_sign(secret, _sm2_point(public.raw), probe, SM2_USER_ID)):
                raise ValueError("the stored public key does not belong to the private key")
        else:
            raise ValueError(f"unknown key algorithm {algorithm!r} (known: {', '.join(ALGORITHMS)})")
        self.algorithm = algorithm
        self.public = public
        self._secret = bytes(secret)

    def __repr__(self) -> str:
        return f"PrivateKey({self.algorithm}, public {self.public.fingerprint})"

    def sign(self, message: bytes) -> bytes:
        if self.algorithm == "ed25519":
            return self._ed.sign(bytes(message))
        return gmssl_pyx.sm2_sign(self._secret, _sm2_point(self.public.raw), bytes(message), SM2_USER_ID)

    def pkcs8(self) -> bytes:
        """Unencrypted PKCS#8 PrivateKeyInfo DER."""
        if self.algorithm == "ed25519":
            return self._ed.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())
        ec = asn1keys.ECPrivateKey({"version": "ecPrivkeyVer1",
                                    "private_key": int.from_bytes(self._secret, "big"),
                                    "public_key": self.public.raw})
        return asn1keys.PrivateKeyInfo({
            "version": 0,
            "private_key_algorithm": {"algorithm": EC_PUBLIC_KEY_OID,
                                      "parameters": ("named", SM2_CURVE_OID)},
            "private_key": ec,
        }).dump()

    def pem(self, passphrase: bytes | None = None) -> str:
        if passphrase is None:
            return _pem("PRIVATE KEY", self.pkcs8())
        return _pem("ENCRYPTED PRIVATE KEY", _encrypt_pkcs8(self.pkcs8(), passphrase))


def generate(algorithm: str) -> PrivateKey:
    if algorithm == "ed25519":
        return PrivateKey("ed25519", Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()))
    if algorithm == "sm2":
        public, secret = gmssl_pyx.sm2_key_generate()
        return PrivateKey("sm2", secret, PublicKey("sm2", b"\x04" + public))
    raise ValueError(f"unknown key algorithm {algorithm!r} (known: {', '.join(ALGORITHMS)})")


# -- PEM, PKCS#8 and PBES2 -------------------------------------------------------------------

def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _pem(label: str, der: bytes) -> str:
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _unpem(text: str) -> tuple[str, bytes]:
    """(label, DER) of the one PEM block in text."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 2 or not lines[0].startswith("-----BEGIN ") or not lines[0].endswith("-----"):
        raise ValueError("not a PEM file")
    label = lines[0][len("-----BEGIN "):-len("-----")]
    if lines[-1] != f"-----END {label}-----":
        raise ValueError("PEM block is not closed")
    body = "".join(lines[1:-1])
    if ":" in body:
        raise ValueError("legacy encrypted PEM (Proc-Type headers) is not supported; use PKCS#8")
    try:
        return label, base64.b64decode(body, validate=True)
    except binascii.Error:
        raise ValueError("PEM body is not base64") from None


def _encrypt_pkcs8(der: bytes, passphrase: bytes) -> bytes:
    salt, iv = os.urandom(16), os.urandom(16)
    key = PBKDF2HMAC(hashes.SHA256(), 32, salt, PBKDF2_ITERATIONS).derive(passphrase)
    padder = padding.PKCS7(128).padder()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    data = enc.update(padder.update(der) + padder.finalize()) + enc.finalize()
    scheme = algos.EncryptionAlgorithm({
        "algorithm": "pbes2",
        "parameters": {
            "key_derivation_func": {"algorithm": "pbkdf2", "parameters": {
                "salt": algos.Pbkdf2Salt(name="specified", value=salt), "iteration_count": PBKDF2_ITERATIONS, "prf": {"algorithm": "sha256", "parameters": core.Null()}}},
            "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
        },
    })
    return asn1keys.EncryptedPrivateKeyInfo({"encryption_algorithm": scheme, "encrypted_data": data}).dump()


_PRF = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
        "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def _decrypt_pkcs8(der: bytes, passphrase: bytes) -> bytes:
    info = asn1keys.EncryptedPrivateKeyInfo.load(der, strict=True)
    scheme = info["encryption_algorithm"]
    if scheme["algorithm"].native != "pbes2" or scheme.kdf != "pbkdf2" or scheme.kdf_hmac not in _PRF:
        raise ValueError(f"encryption scheme {scheme['algorithm'].native} is not supported "
                         "(PBES2 with PBKDF2 and AES-CBC is)")
    cipher = scheme.encryption_cipher
    if cipher != "aes" or scheme.encryption_mode != "cbc":
        raise ValueError(f"cipher {cipher} is not supported (AES-CBC is)")
    if not 1 <= scheme.kdf_iterations <= 10_000_000:
        raise ValueError("unreasonable PBKDF2 iteration count")
    key = PBKDF2HMAC(_PRF[scheme.kdf_hmac](), scheme.key_length, scheme.kdf_salt,
                     scheme.kdf_iterations).derive(passphrase)
    dec = Cipher(algorithms.AES(key), modes.CBC(scheme.encryption_iv)).decryptor()
    try:
        padded = dec.update(info["encrypted_data"].native) + dec.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        plain = unpadder.update(padded) + unpadder.finalize()
        asn1keys.PrivateKeyInfo.load(plain, strict=True).native
    except ValueError:
        raise _WrongPassphrase() from None
    return plain


class _WrongPassphrase(Exception):
    pass


def _private_from_pkcs8(der: bytes) -> PrivateKey:
    info = asn1keys.PrivateKeyInfo.load(der, strict=True)
    algorithm = info["private_key_algorithm"]
    oid = algorithm["algorithm"].dotted
    if oid == ED25519_OID:
        key = serialization.load_der_private_key(der, password=None)
        return PrivateKey("ed25519", key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                       serialization.NoEncryption()))
    params = algorithm["parameters"]
    if oid != EC_PUBLIC_KEY_OID or params.name != "named" or params.chosen.dotted != SM2_CURVE_OID:
        raise ValueError(f"a key of algorithm {oid}, not Ed25519 or SM2")
    ec = info["private_key"].parsed
    secret = ec["private_key"].native.to_bytes(32, "big")
    if ec["public_key"].native is None:
        raise ValueError("the SM2 private key carries no public key")
    return PrivateKey("sm2", secret, PublicKey("sm2", ec["public_key"].native))


# -- files ---------------------------------------------------------------------------------

def _read(path: Path) -> bytes:
    if path.is_symlink():
        raise KeyFileError(f"{path}: is a symlink; give the real file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no such file") from None
    except OSError as error:
        raise KeyFileError(f"{path}: cannot be read ({error.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_KEY_FILE + 1)
    if len(data) > MAX_KEY_FILE:
        raise KeyFileError(f"{path}: is too large to be a key file")
    return data


def load_private(path: str | Path, passphrase: bytes | None = None) -> PrivateKey:
    """A PKCS#8 PEM private key (Ed25519 or SM2, plain or PBES2-encrypted), e.g. from
    the first release's keygen, this module, or `openssl genpkey -algorithm ed25519|SM2`."""
    path = Path(path)
    try:
        label, der = _unpem(_read(path).decode("ascii"))
        if label == "ENCRYPTED PRIVATE KEY":
            if not passphrase:
                raise KeyFileError(f"{path}: is encrypted; a passphrase is needed")
            der = _decrypt_pkcs8(der, passphrase)
        elif label != "PRIVATE KEY":
            raise ValueError(f"a PEM {label!r} block, not a private key")
        return _private_from_pkcs8(der)
    except _WrongPassphrase:
        raise KeyFileError(f"{path}: wrong passphrase") from None
    except KeyFileError:
        raise
    except (ValueError, TypeError, UnicodeDecodeError, gmssl_pyx.GmsslInnerError) as error:
        raise KeyFileError(f"{path}: not a usable private key ({_first_line(error)})") from None


def public_from_text(text: str) -> PublicKey:
    """A public key from SubjectPublicKeyInfo PEM text or a signed-note verifier key."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        label, der = _unpem(text)
        if label != "PUBLIC KEY":
            raise ValueError(f"a PEM {label!r} block, not a public key")
        return PublicKey.from_der(der)
    return parse_verifier_key(text).public


def load_public(path: str | Path) -> PublicKey:
    """A public key from a SubjectPublicKeyInfo PEM (.pub) or a signed-note verifier key (.vkey)."""
    path = Path(path)
    try:
        return public_from_text(_read(path).decode("utf-8"))
    except KeyFileError:
        raise
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise KeyFileError(f"{path}: not a usable public key ({_first_line(error)})") from None


def _write_atomically(path: Path, data: bytes, mode: int, force: bool) -> None:
    """events.files.write (temp file beside path, O_EXCL, O_NOFOLLOW, then os.replace with force or
    os.link, which refuses an existing name), its refusals as KeyFileError."""
    from events import files

    try:
        files.write(path, data, mode=mode, replace=force)
    except files.OutputError as error:
        raise KeyFileError(error.en.replace("pass --force", "pass force"), error.zh) from None


def write_keypair(path: str | Path, key: PrivateKey, passphrase: bytes | None = None,
                  force: bool = False, name: str | None = None, store=False,
                  reads=()) -> tuple[Path, Path, Path]:
    """Write PATH (private PKCS#8 PEM, mode 0600, encrypted when a passphrase is given), PATH.pub
    (SubjectPublicKeyInfo PEM) and PATH.vkey (signed-note verifier key named `name`, by default
    the file's name). Nothing is written unless all three names are free (or force), and none
    may be a symlink."""
    path = Path(path)
    targets = (path, path.with_name(path.name + ".pub"), path.with_name(path.name + ".vkey"))
    vname = name if name is not None else path.name
    if not valid_name(vname):
        raise KeyFileError(f"{targets[2]}: {vname!r} is not a key name (non-empty, no spaces, no '+')")
    if not path.parent.is_dir():
        raise KeyFileError(f"{path}: the folder {path.parent} does not exist")
    from events import files

    for target in targets:
        try:
            files.check(target, store=store, reads=reads)
        except files.OutputError as error:
            raise KeyFileError(error.en, error.zh) from None
        if target.is_symlink():
            raise KeyFileError(f"{target}: is a symlink; refusing to write through it")
        if target.exists() and not force:
            raise KeyFileError(f"{target}: exists already; pass force to replace it")
    _write_atomically(targets[0], key.pem(passphrase).encode(), 0o600, force)
    _write_atomically(targets[1], key.public.pem().encode(), 0o644, force)
    _write_atomically(targets[2], (verifier_key(vname, key.public) + "\n").encode(), 0o644, force)
    return targets


# -- signed-note key strings ----------------------------------------------------------------

def valid_name(name: str) -> bool:
    """A signed-note key name: non-empty, no Unicode spaces, no '+'."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name) \
        and all(ord(ch) >= 0x20 for ch in name)


def note_type(public: PublicKey, cosignature: bool = False) -> bytes:
    """The signed-note signature type bytes for a key."""
    if cosignature:
        if public.algorithm != "ed25519":
            raise ValueError("cosignature/v1 is defined for Ed25519 keys only")
        return NOTE_COSIGNATURE_V1
    return NOTE_ED25519 if public.algorithm == "ed25519" else NOTE_SM2


def key_id(name: str, type_bytes: bytes, public_raw: bytes) -> bytes:
    """SHA-256(name || 0x0A || type || public key)[:4], per c2sp.org/signed-note."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + type_bytes + public_raw).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    """A parsed verifier key: who signs (name, key id), how (kind) and with which key."""

    name: str
    key_id: bytes
    kind: str  # "ed25519", "cosignature/v1" or "sm2"
    public: PublicKey


def verifier(name: str, public: PublicKey, cosignature: bool = False) -> Verifier:
    if not valid_name(name):
        raise ValueError(f"{name!r} is not a key name (non-empty, no spaces, no '+')")
    kind_type = note_type(public, cosignature)
    kind = "cosignature/v1" if cosignature else public.algorithm
    return Verifier(name, key_id(name, kind_type, public.raw), kind, public)


def verifier_key(name: str, public: PublicKey, cosignature: bool = False) -> str:
    """The vkey string name+hex(key id)+base64(type || public key)."""
    v = verifier(name, public, cosignature)
    return f"{name}+{v.key_id.hex()}+" + base64.b64encode(note_type(public, cosignature) + public.raw).decode()


def parse_verifier_key(text: str) -> Verifier:
    """A vkey of type 0x01 (Ed25519), 0x04 (Ed25519 cosignature/v1) or this project's SM2."""
    name, sep, rest = text.partition("+")
    hex_id, sep2, b64 = rest.partition("+")
    if not sep or not sep2 or not valid_name(name) or len(hex_id) != 8 or \
            any(c not in "0123456789abcdef" for c in hex_id):
        raise ValueError("not a verifier key (name+8 hex digits+base64)")
    try:
        blob = base64.b64decode(b64, validate=True)
    except binascii.Error:
        raise ValueError("the verifier key's material is not base64") from None
    if base64.b64encode(blob).decode() != b64:
        raise ValueError("the verifier key's base64 is not canonical")
    if blob[:1] == NOTE_ED25519:
        public, cosignature = PublicKey("ed25519", blob[1:]), False
    elif blob[:1] == NOTE_COSIGNATURE_V1:
        public, cosignature = PublicKey("ed25519", blob[1:]), True
    elif blob.startswith(NOTE_SM2):
        public, cosignature = PublicKey("sm2", blob[len(NOTE_SM2):]), False
    else:
        raise ValueError(f"unknown signature type 0x{blob[:1].hex() or '??'}")
    v = verifier(name, public, cosignature)
    if v.key_id.hex() != hex_id:
        raise ValueError("the key id does not match the name and key")
    return v


# -- external signers ----------------------------------------------------------------------

class ExternalSigner:
    """Signs by running a command (a UKey or HSM tool) so the key never reaches this process.

    The command line is split with shlex and run without a shell; it gets the message bytes on
    stdin and must print the signature as base64 text (surrounding whitespace ignored) on
    stdout and exit 0: Ed25519's 64 bytes, or SM2's DER r||s over SM3 with the user id
    1234567812345678. The signature is checked against `public` before it is returned.
    """

    def __init__(self, command: str, public: PublicKey, timeout: float = 60.0):
        self.argv = shlex.split(command)
        if not self.argv:
            raise KeyFileError("external signer: the command is empty")
        self.public = public
        self.algorithm = public.algorithm
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"ExternalSigner({self.argv[0]}, public {self.public.fingerprint})"

    def sign(self, message: bytes) -> bytes:
        who = f"external signer {self.argv[0]}"
        try:
            done = subprocess.run(self.argv, input=bytes(message), capture_output=True, timeout=self.timeout,
                                  check=False)
        except FileNotFoundError:
            raise KeyFileError(f"{who}: no such program") from None
        except subprocess.TimeoutExpired:
            raise KeyFileError(f"{who}: gave no signature within {self.timeout:g} s") from None
        except OSError as error:
            raise KeyFileError(f"{who}: cannot be run ({error.strerror})") from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise KeyFileError(f"{who}: exited with {done.returncode}" + (f": {said[-1]}" if said else ""))
        try:
            signature = base64.b64decode(b"".join(done.stdout.split()), validate=True)
        except (binascii.Error, ValueError):
            raise KeyFileError(f"{who}: did not print a base64 signature") from None
        if not self.public.verify(message, signature):
            raise KeyFileError(f"{who}: its signature does not verify with {self.public.fingerprint}")
        return signature
