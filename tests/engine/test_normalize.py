"""The exact-dedup key's text folding: the fast path equals the Unicode definition, and the dedup keys
equal their definition."""

import re
import unicodedata

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from medins.engine.stages import dedup_keys, normalize_text
from medins.recipe import stable_hash

# The definition: NFKC, casefold, every run of characters other than letters, digits and the signs
# + - − ± (underscores included) becomes one space, ends trimmed.
_DEFINITION = re.compile(r"[^\w+\-\u2212\u00b1]+|_+", re.UNICODE)


def _reference(text: str) -> str:
    return " ".join(_DEFINITION.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
       | st.text(alphabet="Aa1 _.-+\u2212\u00b1\u00b5\u00df\ufb01\u0301\u00a0\u2014\u03a3\u0130", max_size=40))
def test_fast_fold_equals_the_definition(text):
    assert normalize_text(text) == _reference(text)


def test_signs_survive_and_case_folds():
    assert normalize_text("HER2+ vs HER2\u2212, STRASSE") == normalize_text("her2+  VS her2\u2212 stra\u00dfe")
    assert normalize_text("HER2+") != normalize_text("HER2-")


_TEXTS = (st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
          | st.text(alphabet="Aa1 _.-+\t\n,;\u2212\u00b5\u00df\u00a0\u2014", max_size=30)
          | st.text(alphabet=st.characters(max_codepoint=127), max_size=30))


def _row_keys(row):
    """The keys as defined: a hash of the task (or category), the folded input and output, and vars."""
    if row["_drop"]:
        return "", ""
    text = (normalize_text(row["input"]), normalize_text(row["output"]), row["vars"] or "")
    return stable_hash(row["task"], *text, length=16), stable_hash(row["category"] or "", *text, length=16)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "task": st.sampled_from(["s.a", "s.b"]), "category": st.none() | st.sampled_from(["QA", "NER"]),
    "input": _TEXTS, "output": _TEXTS, "vars": st.none() | st.sampled_from(["", '{"type":"drug"}']),
    "_drop": st.none() | st.sampled_from(["", "quality:empty_input"]),
}), max_size=15))
def test_dedup_keys_equal_the_per_row_definition(rows):
    names = ["task", "category", "input", "output", "vars", "_drop"]
    table = pa.table({n: pa.array([r[n] for r in rows], pa.string()) for n in names})
    keyed = dedup_keys(table)
    expected = [_row_keys(r) for r in rows]
    assert list(zip(keyed["_key"].to_pylist(), keyed["_xkey"].to_pylist())) == expected
    assert keyed["_bucket"].to_pylist() == [x[:2] for _, x in expected]
