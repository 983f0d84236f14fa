#!/usr/bin/env python3
"""Generate data/units/units.csv and data/units/successions.csv.

Source: the PyPI package ``vietnam-provinces`` (GPL-3.0-or-later), pinned to
one version and one wheel sha256 below. The package compiles the National
Statistics Office of Viet Nam (NSO) lists of administrative units.

Usage:
    python3 scripts/gen_units.py                  # download the pinned wheel with pip, write files
    python3 scripts/gen_units.py --wheel W.whl    # use an already downloaded wheel
    python3 scripts/gen_units.py --check          # regenerate in memory, fail if files differ

The pinned version needs Python >= 3.12 to *install*, so the wheel is only
downloaded (``pip download --python-version 3.12``) and read from a temporary
extraction; its modules import fine under Python 3.11 (they need StrEnum).

Every check below raises (exit status 1) when it fails; nothing is written
unless all checks pass. See docs/units-data.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib
import io
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

# --------------------------------------------------------------------------
# Pins
# --------------------------------------------------------------------------
PACKAGE = "vietnam-provinces"
VERSION = "2026.9.0"
WHEEL_FILENAME = "vietnam_provinces-2026.9.0-py3-none-any.whl"
WHEEL_SHA256 = "b5f3540a98937d38b9bebcbdb792fa4f5b9712737d41b05c7254beb2308ebcd1"
# Newer versions of the package declare Requires-Python >=3.12.
DOWNLOAD_PYTHON_VERSION = "3.12"

EFFECTIVE_2025 = "2025-07-01"  # the 2025 rearrangement (34 provinces, no districts)
LEGACY_VALID_TO = "2025-06-30"  # last day of the pre-2025 generation

# Provinces whose kind in the package's Python data (``_lookup.py``, data
# version 2026-09-20) is "thành phố trung ương" while the package's JSON
# snapshot (the state of 2025-07-01, unchanged since 2026.3.0) says "tỉnh".
# The package records NO effective date for these changes.
#   date string -> two rows: tinh 2025-07-01..date-1, thanh_pho_tw from date.
#   None        -> effective date unknown: ONE row with the current (package)
#                  name and kind, valid from 2025-07-01 (documented caveat).
# The date for 75 (Đồng Nai) comes from the project brief, not the package.
# Every kind change found in the data must be listed here (else the run fails).
PROVINCE_KIND_CHANGES: dict[int, str | None] = {
    22: None,  # Quảng Ninh: changelog 2026.9.0 "Upgrade Quảng Ninh and Bắc Ninh"; date unknown
    24: None,  # Bắc Ninh: idem
    75: "2026-04-30",  # Đồng Nai: date supplied by the project brief
}

# Known gaps of the pinned data, asserted exactly so that a version bump that
# changes them fails loudly and gets reviewed.
# Old ward codes on the old side of the ward conversion table that are absent
# from the legacy (pre-2025) unit list: their rows cannot be resolved and are
# left out of successions.csv.
EXPECTED_UNRESOLVED_OLD_WARDS = {3980, 3983, 3984, 26929, 26953, 27076, 27226, 27232, 27367, 27373}
# Legacy communes that do not appear on the old side of the conversion table.
EXPECTED_LEGACY_WARDS_WITHOUT_SUCCESSOR = {
    1651, 2482, 3751, 3898, 3913, 3988, 3991, 4003, 4060, 7693, 7732, 7744, 16387, 16411,
    18448, 20176, 20674, 25102, 25174, 25177, 25186, 26935, 26959, 27067, 27217, 27223,
    27361, 27379,
}
# New communes with no predecessor in the conversion table (all đặc khu that
# replaced old districts which had no commune-level units).
EXPECTED_NEW_WARDS_WITHOUT_PREDECESSOR = {11948, 19742, 20333, 21548, 26732}
# Province pairs in the package's province conversion table that no ward pair
# supports once old wards are placed by the legacy hierarchy (the ward table
# gives old ward 27691, Phường 4 of TP Tân An, Long An, the province code 82).
EXPECTED_DROPPED_PROVINCE_PAIRS = {(82, 80)}

EXPECTED_COUNTS = {
    # (generation, level, kind) -> count, for units valid at the end of the data
    ("current", "province", None): 34,
    ("current", "province", "tinh"): 25,  # as per the pinned data (see PROVINCE_KIND_CHANGES)
    ("current", "province", "thanh_pho_tw"): 9,
    ("current", "commune", "xa"): 2621,
    ("current", "commune", "phuong"): 687,
    ("current", "commune", "dac_khu"): 13,
    ("current", "commune", None): 3321,
    ("legacy", "province", None): 63,
    ("legacy", "province", "tinh"): 57,
    ("legacy", "province", "thanh_pho_tw"): 6,
    ("legacy", "district", None): 696,
    ("legacy", "commune", None): 10051,
}
# Provinces on 2025-07-01 according to the package's JSON snapshot.
EXPECTED_JSON_PROVINCE_KINDS = {"tinh": 28, "thanh_pho_tw": 6}

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "data" / "units"

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}

NEW_KINDS = {
    "tỉnh": "tinh",
    "thành phố trung ương": "thanh_pho_tw",
    "xã": "xa",
    "phường": "phuong",
    "đặc khu": "dac_khu",
}
LEGACY_KINDS = {
    "tỉnh": "tinh",
    "thành phố trung ương": "thanh_pho_tw",
    "huyện": "huyen",
    "quận": "quan",
    "thị xã": "thi_xa",
    "thành phố": None,  # thanh_pho_thuoc_tinh / thanh_pho_thuoc_tp, by the parent's kind
    "xã": "xa",
    "phường": "phuong",
    "thị trấn": "thi_tran",
}
KIND_LEVEL = {
    "tinh": "province",
    "thanh_pho_tw": "province",
    "huyen": "district",
    "quan": "district",
    "thi_xa": "district",
    "thanh_pho_thuoc_tinh": "district",
    "thanh_pho_thuoc_tp": "district",
    "xa": "commune",
    "phuong": "commune",
    "thi_tran": "commune",
    "dac_khu": "commune",
}
KIND_PREFIX = {
    "tinh": "Tỉnh ",
    "thanh_pho_tw": "Thành phố ",
    "huyen": "Huyện ",
    "quan": "Quận ",
    "thi_xa": "Thị xã ",
    "thanh_pho_thuoc_tinh": "Thành phố ",
    "thanh_pho_thuoc_tp": "Thành phố ",
    "xa": "Xã ",
    "phuong": "Phường ",
    "thi_tran": "Thị trấn ",
    "dac_khu": "Đặc khu ",
}

UNITS_COLUMNS = ["code", "name", "level", "kind", "parent_code", "valid_from", "valid_to"]
SUCC_COLUMNS = ["old_code", "old_level", "new_code", "new_level", "partly_merged", "effective"]


class CheckFailed(Exception):
    pass


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise CheckFailed(msg)


# --------------------------------------------------------------------------
# Wheel
# --------------------------------------------------------------------------
def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download_wheel(dest: Path) -> Path:
    cmd = [
        sys.executable, "-m", "pip", "download",
        "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
        "--python-version", DOWNLOAD_PYTHON_VERSION,
        "-d", str(dest), f"{PACKAGE}=={VERSION}",
    ]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    wheels = sorted(dest.glob("*.whl"))
    check(len(wheels) == 1, f"expected one wheel from pip download, got {wheels}")
    return wheels[0]


def load_package(wheel: Path, workdir: Path):
    """Extract the wheel and import its modules from the extraction only."""
    check(wheel.name == WHEEL_FILENAME, f"wheel file name {wheel.name!r} != pinned {WHEEL_FILENAME!r}")
    digest = sha256_of(wheel)
    check(digest == WHEEL_SHA256, f"sha256 mismatch for {wheel}: {digest} != pinned {WHEEL_SHA256}")
    extract = workdir / "wheel"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(extract)
    check("vietnam_provinces" not in sys.modules, "vietnam_provinces already imported")
    sys.path.insert(0, str(extract))
    try:
        pkg = importlib.import_module("vietnam_provinces")
        mods = {
            "pkg": pkg,
            "lookup": importlib.import_module("vietnam_provinces._lookup"),
            "legacy": importlib.import_module("vietnam_provinces.legacy._lookup"),
            "ward_conv": importlib.import_module("vietnam_provinces._ward_conversion_2025"),
            "prov_conv": importlib.import_module("vietnam_provinces._province_conversion_2025"),
        }
    finally:
        sys.path.remove(str(extract))
    for name, mod in mods.items():
        check(Path(mod.__file__).resolve().is_relative_to(extract.resolve()),
              f"module {name} was imported from {mod.__file__}, not from the pinned wheel")
    check(pkg.__version__ == VERSION, f"package __version__ {pkg.__version__} != {VERSION}")
    nested = json.loads((extract / "vietnam_provinces" / "data" / "nested-divisions.json").read_text("utf-8"))
    return mods, nested, digest


# --------------------------------------------------------------------------
# Building rows
# --------------------------------------------------------------------------
def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def fmt_code(code: int, level: str) -> str:
    return f"{int(code):0{CODE_WIDTH[level]}d}"


def dtype(x) -> str:
    return str(getattr(x, "value", x))


def unit(code, name, level, kind, parent, valid_from, valid_to, gen):
    return {
        "code": fmt_code(code, level),
        "name": nfc(name),
        "level": level,
        "kind": kind,
        "parent_code": "" if parent is None else fmt_code(parent, "district" if level == "commune" and gen == "legacy" else "province"),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "_gen": gen,
    }


def day_before(iso: str) -> str:
    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()


def build(mods, nested):
    lk, lg = mods["lookup"], mods["legacy"]
    notes: list[str] = []

    # ---- current generation: Python lookup data (newest), JSON cross-check ----
    json_prov = {p["code"]: p for p in nested}
    json_ward = {w["code"]: (w, p["code"]) for p in nested for w in p["wards"]}
    P, W = lk.PROVINCE_MAPPING, lk.WARD_MAPPING
    check(set(json_prov) == set(P), "JSON and _lookup disagree on province codes")
    check(set(json_ward) == set(W), "JSON and _lookup disagree on commune codes")
    json_kinds = Counter(NEW_KINDS[p["division_type"]] for p in nested)
    check(dict(json_kinds) == EXPECTED_JSON_PROVINCE_KINDS,
          f"JSON province kinds {dict(json_kinds)} != {EXPECTED_JSON_PROVINCE_KINDS}")
    for code, w in W.items():
        jw, jpc = json_ward[code]
        check(int(w.province_code) == jpc, f"commune {code}: province differs between JSON and _lookup")
        check(dtype(w.division_type) == jw["division_type"], f"commune {code}: type differs between JSON and _lookup")
        # 2026.2.2 fixed apostrophes (’ -> ') in _lookup; the JSON was not regenerated.
        check(w.name == jw["name"].replace("\u2019", "'"), f"commune {code}: name differs: {w.name!r} vs {jw['name']!r}")
    changed = {}
    for code, p in P.items():
        jp = json_prov[code]
        if (p.name, dtype(p.division_type)) != (jp["name"], jp["division_type"]):
            check(jp["division_type"] == "tỉnh" and dtype(p.division_type) == "thành phố trung ương",
                  f"province {code}: unexpected change {jp['name']!r} -> {p.name!r}")
            check(jp["name"].removeprefix("Tỉnh ") == p.name.removeprefix("Thành phố "),
                  f"province {code}: base name changed {jp['name']!r} -> {p.name!r}")
            changed[code] = jp
    check(set(changed) == set(PROVINCE_KIND_CHANGES),
          f"provinces changed tỉnh -> thành phố trung ương in the data: {sorted(changed)}; "
          f"PROVINCE_KIND_CHANGES lists {sorted(PROVINCE_KIND_CHANGES)}")

    rows = []
    for code, p in P.items():
        kind = NEW_KINDS[dtype(p.division_type)]
        check(int(p.code) == code, f"province key {code} != code {p.code}")
        if code in changed:
            when = PROVINCE_KIND_CHANGES[code]
            if when is not None:
                check(when > EFFECTIVE_2025, f"kind change date {when} for {code} not after {EFFECTIVE_2025}")
                jp = changed[code]
                rows.append(unit(code, jp["name"], "province", "tinh", None, EFFECTIVE_2025, day_before(when), "current"))
                rows.append(unit(code, p.name, "province", kind, None, when, "", "current"))
                notes.append(f"province {code}: {jp['name']} (tinh) until {day_before(when)}, {p.name} ({kind}) from {when}")
                continue
            notes.append(f"province {code}: {p.name} ({kind}) emitted from {EFFECTIVE_2025}; "
                         f"it was {changed[code]['name']} (tinh) on {EFFECTIVE_2025}; change date unknown")
        rows.append(unit(code, p.name, "province", kind, None, EFFECTIVE_2025, "", "current"))
    for code, w in W.items():
        check(int(w.code) == code, f"commune key {code} != code {w.code}")
        rows.append(unit(code, w.name, "commune", NEW_KINDS[dtype(w.division_type)],
                         int(w.province_code), EFFECTIVE_2025, "", "current"))

    # ---- legacy generation (pre-2025) ----
    LP, LD, LW = lg.PROVINCE_MAPPING, lg.DISTRICT_MAPPING, lg.WARD_MAPPING
    legacy_prov_kind = {}
    for code, p in LP.items():
        kind = LEGACY_KINDS[dtype(p.division_type)]
        legacy_prov_kind[code] = kind
        rows.append(unit(code, p.name, "province", kind, None, "", LEGACY_VALID_TO, "legacy"))
    for code, d in LD.items():
        kind = LEGACY_KINDS[dtype(d.division_type)]
        if kind is None:  # "thành phố": thuộc tỉnh or thuộc thành phố trung ương
            parent_kind = legacy_prov_kind[int(d.province_code)]
            kind = "thanh_pho_thuoc_tinh" if parent_kind == "tinh" else "thanh_pho_thuoc_tp"
        rows.append(unit(code, d.name, "district", kind, int(d.province_code), "", LEGACY_VALID_TO, "legacy"))
    for code, w in LW.items():
        rows.append(unit(code, w.name, "commune", LEGACY_KINDS[dtype(w.division_type)],
                         int(w.district_code), "", LEGACY_VALID_TO, "legacy"))

    rows.sort(key=lambda r: (r["_gen"] != "current", LEVEL_ORDER[r["level"]], r["code"], r["valid_from"]))

    # ---- successions ----
    wc, pc = mods["ward_conv"], mods["prov_conv"]
    check(wc.EFFECTIVE_DATE == EFFECTIVE_2025 and pc.EFFECTIVE_DATE == EFFECTIVE_2025,
          f"conversion tables effective {wc.EFFECTIVE_DATE}/{pc.EFFECTIVE_DATE} != {EFFECTIVE_2025}")
    legacy_ward_province = {code: int(LD[int(w.district_code)].province_code) for code, w in LW.items()}

    unresolved = set()
    ward_pairs = []  # (old, new, partly)
    province_support = set()
    ref_mismatch = []
    for old, e in wc.OLD_TO_NEW.items():
        check(e.old_ward.code == old, f"ward conversion key {old} != {e.old_ward.code}")
        if old not in LW:
            unresolved.add(old)
            continue
        if (e.old_ward.district_code, e.old_ward.province_code) != (int(LW[old].district_code), legacy_ward_province[old]):
            ref_mismatch.append(old)
        news = [n.code for n in e.new_wards]
        check(len(set(news)) == len(news), f"old ward {old}: duplicate successors")
        for n in e.new_wards:
            check(n.code in W, f"old ward {old}: successor {n.code} not a current commune")
            check(n.province_code == int(W[n.code].province_code), f"ward conversion: new ward {n.code} province mismatch")
            ward_pairs.append((old, n.code, bool(e.old_ward.is_partly_merged)))
            province_support.add((legacy_ward_province[old], int(W[n.code].province_code)))
    check(unresolved == EXPECTED_UNRESOLVED_OLD_WARDS,
          f"unresolvable old ward codes changed: {sorted(unresolved ^ EXPECTED_UNRESOLVED_OLD_WARDS)}")
    without_succ = set(LW) - set(wc.OLD_TO_NEW)
    check(without_succ == EXPECTED_LEGACY_WARDS_WITHOUT_SUCCESSOR,
          f"legacy communes without successor changed: {sorted(without_succ ^ EXPECTED_LEGACY_WARDS_WITHOUT_SUCCESSOR)}")
    with_pred = {n for _, n, _ in ward_pairs}
    without_pred = set(W) - with_pred
    check(without_pred == EXPECTED_NEW_WARDS_WITHOUT_PREDECESSOR,
          f"current communes without predecessor changed: {sorted(without_pred ^ EXPECTED_NEW_WARDS_WITHOUT_PREDECESSOR)}")
    check(all(dtype(W[c].division_type) == "đặc khu" for c in without_pred), "a non-đặc-khu commune has no predecessor")

    prov_pairs_pkg = {(old, n.code) for old, e in pc.OLD_TO_NEW.items() for n in e.new_provinces}
    check({o for o, _ in prov_pairs_pkg} == set(LP), "province conversion does not cover the 63 old provinces")
    dropped = prov_pairs_pkg - province_support
    check(dropped == EXPECTED_DROPPED_PROVINCE_PAIRS, f"unsupported province pairs changed: {sorted(dropped)}")
    check(province_support <= prov_pairs_pkg, f"ward data implies province pairs missing from the package table: "
                                              f"{sorted(province_support - prov_pairs_pkg)}")
    prov_pairs = sorted(prov_pairs_pkg - dropped)
    n_succ = Counter(o for o, _ in prov_pairs)

    succ = []
    for old, new in prov_pairs:
        succ.append({"old_code": fmt_code(old, "province"), "old_level": "province",
                     "new_code": fmt_code(new, "province"), "new_level": "province",
                     "partly_merged": "true" if n_succ[old] > 1 else "false", "effective": EFFECTIVE_2025})
    for old, new, partly in sorted(ward_pairs):
        succ.append({"old_code": fmt_code(old, "commune"), "old_level": "commune",
                     "new_code": fmt_code(new, "commune"), "new_level": "commune",
                     "partly_merged": "true" if partly else "false", "effective": EFFECTIVE_2025})

    info = {
        "notes": notes,
        "unresolved": sorted(unresolved),
        "without_succ": sorted(without_succ),
        "without_pred": sorted(without_pred),
        "dropped": sorted(dropped),
        "ref_mismatch": sorted(ref_mismatch),
        "data_version": mods["pkg"].__data_version__,
    }
    return rows, succ, info


# --------------------------------------------------------------------------
# Checks on the finished rows
# --------------------------------------------------------------------------
def interval(r):
    lo = date.fromisoformat(r["valid_from"]) if r["valid_from"] else date.min
    hi = date.fromisoformat(r["valid_to"]) if r["valid_to"] else date.max
    return lo, hi


def valid_on(rows_for_key, day: date):
    return [r for r in rows_for_key if interval(r)[0] <= day <= interval(r)[1]]


def verify(rows, succ):
    by_key = defaultdict(list)  # (code, level) -> rows
    seen = set()
    for r in rows:
        ident = (r["code"], r["level"], r["valid_from"])
        check(ident not in seen, f"duplicate unit identity {ident}")
        seen.add(ident)
        check(r["kind"] in KIND_LEVEL and KIND_LEVEL[r["kind"]] == r["level"], f"bad kind/level {r}")
        check(r["code"].isdigit() and len(r["code"]) == CODE_WIDTH[r["level"]], f"bad code {r}")
        check(r["name"] == unicodedata.normalize("NFC", r["name"]), f"name not NFC {r}")
        check(r["name"] == r["name"].strip() and "  " not in r["name"], f"bad spacing {r}")
        pre = KIND_PREFIX[r["kind"]]
        check(r["name"][: len(pre)].casefold() == pre.casefold() and len(r["name"]) > len(pre),
              f"name {r['name']!r} does not start with {pre!r} for kind {r['kind']}")
        lo, hi = interval(r)
        check(lo <= hi, f"empty validity {r}")
        by_key[(r["code"], r["level"])].append(r)
    # validity intervals of one (code, level) never overlap, across generations too
    for key, rs in by_key.items():
        rs = sorted(rs, key=interval)
        for a, b in zip(rs, rs[1:]):
            check(interval(a)[1] < interval(b)[0], f"overlapping validity for {key}: {a} / {b}")

    # every parent resolves in the same generation and covers the child's whole validity
    parent_level = {("current", "commune"): "province", ("legacy", "district"): "province",
                    ("legacy", "commune"): "district"}
    for r in rows:
        if r["level"] == "province":
            check(r["parent_code"] == "", f"province with parent {r}")
            continue
        pl = parent_level[(r["_gen"], r["level"])]
        parents = [p for p in by_key.get((r["parent_code"], pl), []) if p["_gen"] == r["_gen"]]
        check(parents, f"parent {r['parent_code']} ({pl}) of {r['code']} not found in generation {r['_gen']}")
        lo, hi = interval(r)
        cursor = lo
        for p in sorted(parents, key=interval):
            plo, phi = interval(p)
            if plo <= cursor <= phi:
                cursor = phi if phi == date.max else phi + timedelta(days=1)
                if phi == date.max:
                    break
        check(cursor > hi or cursor == date.max, f"parent {r['parent_code']} does not cover the validity of {r}")

    # counts
    end = date.max
    def count(gen, level, kind=None, day=None):
        return sum(1 for r in rows if r["_gen"] == gen and r["level"] == level
                   and (kind is None or r["kind"] == kind)
                   and (day is None or interval(r)[0] <= day <= interval(r)[1]))
    for (gen, level, kind), n in EXPECTED_COUNTS.items():
        day = end if gen == "current" else date.fromisoformat(LEGACY_VALID_TO)
        got = count(gen, level, kind, day)
        check(got == n, f"count {gen}/{level}/{kind or '*'} = {got}, expected {n}")
    check(count("legacy", "district") == 696, "legacy districts != 696")
    # on 2025-07-01: the JSON snapshot's 28 + 6, except undated kind changes (one row, current kind)
    undated = sum(1 for v in PROVINCE_KIND_CHANGES.values() if v is None)
    d0 = date.fromisoformat(EFFECTIVE_2025)
    got = (count("current", "province", "tinh", d0), count("current", "province", "thanh_pho_tw", d0))
    want = (EXPECTED_JSON_PROVINCE_KINDS["tinh"] - undated, EXPECTED_JSON_PROVINCE_KINDS["thanh_pho_tw"] + undated)
    check(got == want, f"provinces (tinh, thanh_pho_tw) valid on {EFFECTIVE_2025}: {got}, expected {want}")

    # successions resolve: old valid the day before, new valid on the effective day
    seen_pairs = set()
    for s in succ:
        eff = date.fromisoformat(s["effective"])
        olds = valid_on(by_key.get((s["old_code"], s["old_level"]), []), eff - timedelta(days=1))
        news = valid_on(by_key.get((s["new_code"], s["new_level"]), []), eff)
        check(len(olds) == 1 and olds[0]["_gen"] == "legacy", f"succession old side does not resolve: {s}")
        check(len(news) == 1 and news[0]["_gen"] == "current", f"succession new side does not resolve: {s}")
        check(s["partly_merged"] in ("true", "false"), f"bad partly_merged {s}")
        pair = (s["old_code"], s["old_level"], s["new_code"], s["new_level"], s["effective"])
        check(pair not in seen_pairs, f"duplicate succession {pair}")
        seen_pairs.add(pair)
    prov_succ = defaultdict(set)
    for s in succ:
        if s["old_level"] == "province":
            prov_succ[s["old_code"]].add(s["new_code"])
    check(len(prov_succ) == 63, f"{len(prov_succ)} old provinces have successors, expected 63")
    check(len({n for v in prov_succ.values() for n in v}) == 34, "not all 34 new provinces have predecessors")
    # examples from the brief: code reuse across generations
    check(prov_succ["24"] == {"24"}, f"old 24 (Bắc Giang) -> {prov_succ['24']}, expected {{'24'}}")
    check(prov_succ["27"] == {"24"}, f"old 27 (Bắc Ninh) -> {prov_succ['27']}, expected {{'24'}}")
    check(prov_succ["20"] == {"20"}, f"old 20 (Lạng Sơn) -> {prov_succ['20']}, expected {{'20'}}")
    names = {(r["code"], r["level"], r["_gen"]): r["name"] for r in rows}
    check(names[("24", "province", "legacy")] == "Tỉnh Bắc Giang", "old 24 is not Tỉnh Bắc Giang")
    check(names[("24", "province", "current")].endswith("Bắc Ninh"), "new 24 is not Bắc Ninh")
    check(names[("20", "province", "legacy")] == "Tỉnh Lạng Sơn" == names[("20", "province", "current")],
          "20 is not Tỉnh Lạng Sơn in both generations")


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
def header(what: str, digest: str, data_version: str) -> list[str]:
    return [
        f"# {what}",
        f"# Source: PyPI package {PACKAGE} {VERSION}, wheel {WHEEL_FILENAME}",
        f"#   sha256 {digest}; package data version {data_version}",
        "# Upstream: National Statistics Office of Viet Nam (NSO) lists of administrative units,",
        "#   as compiled by the package.",
        "# Licence: GPL-3.0-or-later (derived from the package's data).",
        "# GENERATED by scripts/gen_units.py - do not edit by hand; see docs/units-data.md.",
    ]


def render(lines: list[str], columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    for line in lines:
        buf.write(line + "\n")
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def summary(rows, succ, info) -> str:
    out = []
    c = Counter((r["_gen"], r["level"], r["kind"]) for r in rows)
    for gen in ("current", "legacy"):
        for level in ("province", "district", "commune"):
            ks = {k: n for (g, l, k), n in c.items() if g == gen and l == level}
            if ks:
                out.append(f"{gen:8} {level:9} rows={sum(ks.values()):6}  " +
                           ", ".join(f"{k}={n}" for k, n in sorted(ks.items())))
    sc = Counter((s["old_level"], s["partly_merged"]) for s in succ)
    out.append(f"successions: {len(succ)} rows; " + ", ".join(f"{l}/partly={p}: {n}" for (l, p), n in sorted(sc.items())))
    out += [f"note: {n}" for n in info["notes"]]
    out.append(f"old wards in conversion table but not in legacy list (dropped): {info['unresolved']}")
    out.append(f"legacy communes without successor: {len(info['without_succ'])}")
    out.append(f"current communes without predecessor: {info['without_pred']}")
    out.append(f"province pairs dropped: {info['dropped']}")
    out.append(f"old wards whose conversion-table district/province refs differ from the legacy list: {info['ref_mismatch']}")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"use this already-downloaded {WHEEL_FILENAME}")
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT, help="output directory (default data/units)")
    ap.add_argument("--check", action="store_true", help="do not write; fail if the files on disk differ")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="gen_units_") as tmp:
        tmp = Path(tmp)
        wheel = args.wheel if args.wheel else download_wheel(tmp / "dl")
        try:
            mods, nested, digest = load_package(wheel, tmp)
            rows, succ, info = build(mods, nested)
            verify(rows, succ)
        except CheckFailed as e:
            print(f"gen_units: CHECK FAILED: {e}", file=sys.stderr)
            return 1

    outputs = {
        "units.csv": render(header("Vietnamese administrative units, pre-2025 and current generations.",
                                   digest, info["data_version"]), UNITS_COLUMNS, rows),
        "successions.csv": render(header(f"Successions of administrative units on {EFFECTIVE_2025} (old -> new).",
                                         digest, info["data_version"]), SUCC_COLUMNS, succ),
    }
    if args.check:
        stale = [n for n, text in outputs.items()
                 if not (args.out_dir / n).exists() or (args.out_dir / n).read_text("utf-8") != text]
        if stale:
            print(f"gen_units: out of date: {stale}", file=sys.stderr)
            return 1
        print("gen_units: files are up to date")
        return 0
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in outputs.items():
        tmp_path = args.out_dir / (name + ".tmp")
        tmp_path.write_text(text, encoding="utf-8", newline="")
        tmp_path.replace(args.out_dir / name)
    print(summary(rows, succ, info))
    print(f"wrote {', '.join(str(args.out_dir / n) for n in outputs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
