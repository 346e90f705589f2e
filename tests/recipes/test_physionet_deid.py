"""PhysioNet deid recipe: team notes with invented surrogate PHI, and the real nursing notes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest
from clinical_checks import PHI_REASONS, assert_never_unscrubbed

from medins.phi.evaluate import load_deid
from tests.conftest import RECIPES, build, by_ref, shared

SAMPLE = RECIPES / "samples" / "physionet_deid"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build("physionet_deid", tmp_path_factory.mktemp("physionet_deid"), allow_unscrubbed=True)


def test_fixture_records(built):
    result, records = built
    assert Counter(r["task"] for r in records) == {"physionet_deid.continue_note": 2,
                                                  "physionet_deid.nursing_plan": 2}
    assert result.manifest["rejects"]["by_stage"] == {"read": {"record has no END_OF_RECORD marker": 1}}
    assert result.manifest["stages"][1]["skipped"] == {"no_plan_heading": 3, "short_note": 3}
    plan = by_ref(records, "physionet_deid.nursing_plan")["id.text#2-1"]
    assert plan["output"] == ("Wean NTG as tolerated, daily wt, strict I+O, recheck lytes at 0400. Dtr Lucienne "
                              "(617) 555-0148 would like a call with any changes.")
    assert plan["input"].startswith("CCU NPN 7P-7A\nS: \"I feel better, I can breathe now.\"\nO: Admitted from")
    assert plan["input"].endswith("A: Improved resp status after diuresis.")
    cont = by_ref(records, "physionet_deid.continue_note")["id.text#1-1"]
    assert cont["input"].endswith("GI: ABD SOFT, +BS, TOLERATING CLEAR LIQUIDS.")  # cut after a sentence
    assert cont["output"].startswith("NO BM.\nGU: FOLEY")


def _gold_phrases(folder):
    phrases = {}
    for line in (folder / "id-phi.phrase").read_text(encoding="utf-8").splitlines():
        patient, note, _s, _e, _kind, phrase = line.split(" ", 5)
        phrases.setdefault(f"id.text#{patient}-{note}", []).append(phrase)
    return phrases


def test_scrubbed_build_drops_the_surrogate_phi(tmp_path):
    result, records = build("physionet_deid", tmp_path)
    assert set(result.manifest["rejects"]["by_stage"].get("scrub", {})) <= PHI_REASONS
    gold = _gold_phrases(SAMPLE)
    checked = 0
    for r in records:
        for phrase in gold.get(r["raw_ref"], []):
            checked += 1
            assert phrase not in r["input"] + r["output"], f"{r['raw_ref']}: a gold PHI phrase survived"
    assert checked > 0
    assert all(r["phi"] for r in records)


def test_real_notes(tmp_path):
    raw = shared("physionet_deid")
    text = (raw / "id.text").read_text(encoding="utf-8")
    n = len(re.findall(r"START_OF_RECORD=\d+\|\|\|\|\d+\|\|\|\|", text))
    assert n == text.count("||||END_OF_RECORD") == 1642
    result, records = build("physionet_deid", tmp_path, raw=raw, allow_unscrubbed=True,
                            tasks=("physionet_deid.nursing_plan",))
    stages = {s["stage"]: s for s in result.manifest["stages"]}
    assert stages["read"] == {"stage": "read", "in": n, "out": n, "dropped": {}}
    assert stages["make"]["in"] == n
    assert result.rejects == 0
    assert stages["make"]["examples"] == len(records) > 300  # notes charted with a plan heading
    assert all(re.fullmatch(r"id\.text#\d+-\d+", r["raw_ref"]) for r in records)


def test_never_unscrubbed(tmp_path):
    assert_never_unscrubbed("physionet_deid", tmp_path)


def _verbatim(phrase: str) -> re.Pattern[str]:
    """``phrase`` as a whole word or number (not inside a longer one)."""
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(phrase) + r"(?![A-Za-z0-9])")


_TOKEN = re.compile(r"[A-Za-z0-9]+")


def _covered(spans: list[tuple[int, int]], text: str, a: int, b: int) -> bool:
    """Is every letter/digit run of text[a:b] overlapped by one of the scrubber's spans?"""
    return all(any(s < t.end() and t.start() < e for s, e in spans) for t in _TOKEN.finditer(text, a, b))


def test_no_note_leaks_its_gold_phi_through_the_build(tmp_path):
    """Build the real deid notes with scrubbing on: no record keeps a gold PHI phrase of its own note.

    The gold standard also tags strings that the same note uses elsewhere as plain text: "of" inside a
    hospital name, a lone initial, a two-digit year equal to an age or a saturation. A record may keep
    those other uses, never more copies than the note has outside its PHI, and the gold occurrence
    itself must be inside a span the row-level scrub replaced. Messages carry counts only.
    """
    raw = shared("physionet_deid")
    _, records = build("physionet_deid", tmp_path, raw=raw)
    kept, scrubbed = defaultdict(list), defaultdict(list)
    for r in records:
        note = r["raw_ref"].split("#")[1].split("@")[0]
        kept[note].append(r["input"] + "\n" + r["output"])
        scrubbed[note] += [(x["start"], x["end"]) for x in r["phi"] if x["field"] == "row.text"]
    leaked = checked = 0
    for note in load_deid(raw):
        key = f"{note.patient}-{note.note}"
        if key not in kept:
            continue
        shift = len(note.text) - len(note.text.lstrip())  # the recipe strips the note body
        for a, b, _kind in note.gold:
            checked += 1
            pattern = _verbatim(note.text[a:b])
            elsewhere = sum(
                1 for m in pattern.finditer(note.text) if not any(ga < m.end() and m.start() < gb for ga, gb, _ in note.gold)
            )
            more = any(len(pattern.findall(t)) > elsewhere for t in kept[key])
            if more or (elsewhere and not _covered(scrubbed[key], note.text.lstrip(), a - shift, b - shift)):
                leaked += 1
    assert checked > 1000
    assert leaked == 0, f"{leaked} of {checked} gold PHI phrases left in their note's records"  # counts only
