#!/usr/bin/env python3
"""Independent implementation of JOURNAL-FORMAT.md v1, used to produce the known-answer vector
that CanonicalFormTest checks the Java implementation against. Run: python3 canonical_vector.py"""
import hashlib
import struct
from datetime import datetime, timezone


def s(text):
    b = text.encode("utf-8")
    return struct.pack(">I", len(b)) + b


def micros(iso):
    dt = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return int(dt.timestamp()) * 1_000_000 + dt.microsecond


def canonical(ledger, seq, kind, key, typ, ref, eff, rec, hold_exp, postings, metadata):
    out = b"TLE1" + s(ledger) + struct.pack(">q", seq) + struct.pack(">B", kind)
    out += s(key) + s(typ) + struct.pack(">q", ref)
    out += struct.pack(">q", micros(eff)) + struct.pack(">q", micros(rec))
    if hold_exp is None:
        out += b"\x00"
    else:
        out += b"\x01" + struct.pack(">q", micros(hold_exp))
    out += struct.pack(">H", len(postings))
    for account, side, currency, amount in postings:
        out += s(account) + side.encode("ascii") + currency.encode("ascii") + struct.pack(">q", amount)
    out += struct.pack(">H", len(metadata))
    for k in sorted(metadata, key=lambda x: x.encode("utf-8")):
        out += s(k) + s(metadata[k])
    return out


c = canonical("platform-cny", 1, 1, "order:o-1:collected", "issuance", 0,
              "2026-11-26T02:00:00.123456Z", "2026-11-26T02:00:00.123456Z", None,
              [("platform:alipay:settlement", "D", "CNY", 10100),
               ("tickets:unredeemed", "C", "CNY", 10000),
               ("revenue:issuance-fee", "C", "CNY", 100)],
              {"ticket": "T-1", "order": "o-1"})
print("canonical", c.hex())
print("hash", hashlib.sha256(bytes(32) + c).hexdigest())
