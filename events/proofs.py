"""Inclusion and consistency proofs that an auditor can check without the store."""

from __future__ import annotations

import base64

from events import checkpoint as checkpoints
from events import merkle
from events.chain import as_bytes, chain_hash
from events.errors import BadInput, Said
from events.ids import aggregate_id


class ProofError(BadInput):
    """The proof asked for cannot be made (unknown event, not covered by the checkpoint, store differs)."""


def _leaves(ledger, checkpoint: dict) -> list[tuple[bytes, str, int]]:
    leaves = ledger.raw.leaves()
    size = checkpoint["tree_size"]
    if size > len(leaves):
        raise ProofError(f"the checkpoint covers {size} events but the store holds {len(leaves)}: truncated")
    if merkle.root([merkle.leaf_hash(h) for h, _, _ in leaves[:size]]).hex() != checkpoint["root"]:
        raise ProofError("the store's first events no longer have the checkpoint's root: run `minerehab verify`")
    return leaves[:size]


def inclusion(ledger, kind: str, key: str, version: int, checkpoint: dict) -> dict:
    oid = aggregate_id(kind, key).hex
    leaves = _leaves(ledger, checkpoint)
    index = next((i for i, (_, o, v) in enumerate(leaves) if o == oid and v == version), None)
    if index is None:
        raise ProofError(f"{kind} {key} version {version} is not among the {len(leaves)} events the checkpoint covers")
    rows = [r for r in ledger.raw.events_by_aggregate() if r[0] == oid and r[1] in (version - 1, version)]
    stored = next(r for r in rows if r[1] == version)
    previous = next((h for h, o, v in leaves if o == oid and v == version - 1), bytes(32))
    hashed = [merkle.leaf_hash(h) for h, _, _ in leaves]
    return {
        "aggregate": f"{kind}:{key}", "originator_id": oid, "version": version, "topic": stored[3],
        "state": base64.b64encode(as_bytes(stored[4])).decode(), "previous": previous.hex(),
        "leaf": leaves[index][0].hex(), "leaf_index": index,
        "path": [p.hex() for p in merkle.inclusion_path(hashed, index)], "checkpoint": checkpoint,
    }


HEX = "0123456789abcdefABCDEF"


def _hex(value, length: int | None = 64) -> bool:
    return isinstance(value, str) and all(c in HEX for c in value) and (length is None or len(value) == length)


def read(path) -> dict:
    """An inclusion proof file, its shape checked (types, hex, ranges): a malformed one is BadInput
    (one line), never a traceback nor a verdict of INVALID."""
    from events import jsontext

    proof = jsontext.read_file(path, "proof", ProofError)
    if not isinstance(proof, dict):
        raise ProofError(f"{path}: a proof is a JSON object, not {type(proof).__name__}")
    fields = {"aggregate": str, "originator_id": str, "version": int, "topic": str, "state": str,
              "previous": str, "leaf": str, "leaf_index": int, "path": list, "checkpoint": dict}
    missing = sorted(set(fields) - set(proof))
    if missing:
        raise ProofError(f"{path}: a proof needs {', '.join(missing)}")
    for name, kind in fields.items():
        if type(proof[name]) is not kind:
            raise ProofError(f"{path}: {name} is not {kind.__name__ if kind is not str else 'text'}")
    problem = checkpoints.malformed(proof["checkpoint"])
    if problem:
        raise ProofError(f"{path}: checkpoint: {problem}")
    if proof["version"] < 1 or not 0 <= proof["leaf_index"] < max(proof["checkpoint"]["tree_size"], 1):
        raise ProofError(f"{path}: version or leaf_index out of range")
    if not all(_hex(p) for p in proof["path"]) or not _hex(proof["previous"]) or not _hex(proof["leaf"]):
        raise ProofError(f"{path}: path, previous and leaf must be 64 hexadecimal digits each")
    return proof


def check_inclusion(proof: dict, public_key=None) -> list[Said]:
    """What fails in a first-release JSON proof, in English and Chinese (empty when it holds)."""
    problems = []
    try:
        state = base64.b64decode(proof["state"])
        leaf = chain_hash(bytes.fromhex(proof["previous"]), proof["originator_id"], proof["version"], proof["topic"], state)
        if leaf.hex() != proof["leaf"]:
            problems.append(Said("the event's bytes do not give the leaf's chain hash", "事件的字节推不出叶子的链哈希"))
        checkpoint = proof["checkpoint"]
        path = [bytes.fromhex(p) for p in proof["path"]]
        if not merkle.verify_inclusion(merkle.leaf_hash(leaf), proof["leaf_index"], checkpoint["tree_size"], path,
                                       bytes.fromhex(checkpoint["root"])):
            problems.append(Said("the Merkle path does not lead to the checkpoint's root", "Merkle 路径推不出检查点的根"))
        if public_key is not None and not checkpoints.signature_ok(checkpoint, public_key):
            problems.append(Said("the checkpoint's signature does not verify", "检查点的签名核验不通过"))
    except (KeyError, ValueError, TypeError) as error:
        problems.append(Said(f"malformed proof ({type(error).__name__}: {error})", "证明的格式不对"))
    return problems


def consistency(ledger, old: dict, new: dict, public_key=None) -> dict:
    """The proof that the log grew from `old` to `new` (RFC 6962), or why not: each problem in English
    (`problems`, what scripts read) and in Chinese (`problems_zh`, in the same order)."""
    leaves = ledger.raw.leaf_hashes()
    result = {"old_size": old["tree_size"], "new_size": new["tree_size"], "proof": [], "consistent": False,
              "problems": [], "problems_zh": []}
    for name, cp in (("old", old), ("new", new)):
        if public_key is not None and not checkpoints.signature_ok(cp, public_key):
            unsigned(result, name)
    if old["tree_size"] > new["tree_size"] or new["tree_size"] > len(leaves) or old["tree_size"] < 1:
        said(result, f"sizes {old['tree_size']} → {new['tree_size']} do not fit a store of {len(leaves)}",
             f"大小 {old['tree_size']} → {new['tree_size']} 与存有 {len(leaves)} 条事件的存储不符")
        return result
    proof = merkle.consistency_proof(leaves[:new["tree_size"]], old["tree_size"])
    result["proof"] = [p.hex() for p in proof]
    ok = merkle.verify_consistency(old["tree_size"], new["tree_size"], bytes.fromhex(old["root"]),
                                   bytes.fromhex(new["root"]), proof)
    if not ok:
        said(result, "the new checkpoint does not extend the old one", "新检查点并未延续旧检查点")
    result["consistent"] = ok and not result["problems"]
    return result


def said(result: dict, en: str, zh: str) -> None:
    """A problem of a consistency result, in both languages."""
    result["problems"].append(en)
    result["problems_zh"].append(zh)
    result["consistent"] = False


def unsigned(result: dict, which: str) -> None:
    """The old or new checkpoint's signature does not verify."""
    said(result, f"the {which} checkpoint's signature does not verify",
         f"{'旧' if which == 'old' else '新'}检查点的签名核验不通过")
