"""The exact-dedup key's text folding: the fast path equals the Unicode definition."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from medins.engine.stages import normalize_text

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
