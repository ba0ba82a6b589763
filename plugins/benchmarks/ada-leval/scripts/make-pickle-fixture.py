#!/usr/bin/env python3
"""Pickles for test/pickle.test.ts, made by Python's own pickle module (no official code).

    /usr/bin/python3 scripts/make-pickle-fixture.py > test/fixtures/pickles.json

Each case: the pickle (base64), the protocol, and the value as a type-tagged tree, or "refused" for
pickles that import or call code (the reader must refuse them without running anything).
"""
import base64
import json
import os
import pickle
import pickletools
import sys

# Opcodes the reader refuses: they import or call code (bytes of protocol < 3 and bytearray of
# protocol < 5 are pickled through such calls), or build sets.
REFUSED = {"GLOBAL", "STACK_GLOBAL", "REDUCE", "BUILD", "INST", "OBJ", "NEWOBJ", "NEWOBJ_EX", "PERSID", "BINPERSID",
           "EXT1", "EXT2", "EXT4", "NEXT_BUFFER", "READONLY_BUFFER", "EMPTY_SET", "ADDITEMS", "FROZENSET"}


def refused(data):
    return any(op.name in REFUSED for op, _, _ in pickletools.genops(data))


def tag(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, str):
        return {"str": v}
    if isinstance(v, (bytes, bytearray)):
        return {"bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, list):
        return [tag(x) for x in v]
    if isinstance(v, tuple):
        return {"tuple": [tag(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[tag(k), tag(x)] for k, x in v.items()]}
    raise TypeError(type(v))


shared = "Failed to obtain answer via API. "
predictions = {f"{1000 + i}_A{i % 7 + 1}": ("Answer: A%d" % (i % 7 + 1)) if i % 5 else shared for i in range(1050)}
values = {
    "ada-leval-predictions": predictions,
    "unicode": {"q": "Réponse : A3 — 答案是A3 😀", "long": "x" * 300, "empty": ""},
    "numbers": [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31 - 1, 2**31, 2**63, -2**64 - 1, 10**40, 1.5, -0.0, 1e300, float("inf"), float("nan")],
    "nested": {"a": [1, (2, 3), (), (4,), (5, 6, 7), (8, 9, 10, 11)], "b": {"c": None, "d": True, "e": False}, (1, "k"): b"\x00\xff", 3: bytearray(b"ab")},
    "tuple-top": (1, [2], {"x": "y"}),
    "bytes": {"b": b"\x00\xff" * 200, "s": b"ok"},
    "shared-list": (lambda l: [l, l, {"again": l}])([1, 2]),
}
cases = []
for name, v in values.items():
    for proto in range(0, 6):
        data = pickle.dumps(v, protocol=proto)
        cases.append({"name": name, "protocol": proto, "pickle": base64.b64encode(data).decode(),
                      "value": "refused" if refused(data) else tag(v)})


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


for proto in range(0, 6):
    cases.append({"name": "evil-reduce", "protocol": proto, "pickle": base64.b64encode(pickle.dumps({"x": Evil()}, protocol=proto)).decode(), "value": "refused"})
    cases.append({"name": "a-set", "protocol": proto, "pickle": base64.b64encode(pickle.dumps({1, 2}, protocol=proto)).decode(), "value": "refused"})
json.dump({"python": sys.version.split()[0], "cases": cases}, sys.stdout, ensure_ascii=True)
