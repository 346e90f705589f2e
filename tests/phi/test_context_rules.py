"""Context rules of the lexical and pattern layers, on team-written sentences with invented values.

Each case names the values that must go and the words that must stay, so a rule that grows too
greedy fails as surely as one that stops firing.
"""

from __future__ import annotations

import pytest

CASES = [
    # the person a nurse reached: a given name that is also a common word, capitalised
    ("contact", "Only able to reach Pat. Will try again when family returns call.", ["Pat"], ["Will", "family"]),
    ("contact", "Spoke with Joy Orrowell, pt's sister, by phone.", ["Joy", "Orrowell"], ["sister"]),
    ("contact", "Left message for Case Manager. Spoke with Cardiology fellow re: plan.", [],
     ["Case", "Manager", "Cardiology"]),
    ("contact", "Called back, no answer. Updated MD on status.", [], ["back", "MD"]),
    # a capitalised given name in a note written in lower case
    ("lower", "social - son in all day, supportive to pt, Pat. will update in am.", ["Pat"], ["son"]),
    ("lower", "pt on lasix gtt, Will continue to monitor u/o.", [], ["Will", "lasix"]),
    # a relative named before the kinship word, set off by a comma
    ("relation", "Tamsyn, pt's daughter, called for update.", ["Tamsyn"], ["daughter", "update"]),
    ("relation", "Neuro: Alert, daughter at bedside. Social: Anxious, his wife here.", [], ["Alert", "Anxious"]),
    ("relation", "POA: Wrenna Quenby, cell 617-555-0142", ["Wrenna", "Quenby"], ["POA"]),
    ("relation", "PAT, HIS SISTER, CALLED. WILL, HIS WIFE SAID, BE IN.", ["PAT"], ["WILL", "SISTER", "WIFE"]),
    ("contact", "SPOKE WITH PAT, THE PT'S SISTER, BY PHONE.", ["PAT"], ["SISTER", "PHONE"]),
    # more names in a list of relatives, in notes without case
    ("relation", "FAMILY: HUSBAND RAY AND DAUGHTERS KIM AND SUE.", ["RAY", "KIM", "SUE"], ["FAMILY", "DAUGHTERS"]),
    ("relation", "grandkids tobiah, wrenna and tamsyn in today.", ["tobiah", "wrenna", "tamsyn"], ["today"]),
    ("relation", "son ray and hope to visit tomorrow.", ["ray"], ["hope", "visit"]),
    # "NAME and/& X": a word in no list that closes the clause is a second name
    ("and", "health care proxy is dtr kay and tamsyn\n\nresp: lungs clear", ["kay", "tamsyn"], ["lungs"]),
    ("and", "Daughter Kay & Tamsyn in to visit.", ["Kay", "Tamsyn"], ["visit"]),
    ("and", "Daughter Kay and cardiology in to see pt.", ["Kay"], ["cardiology"]),
    # the names right before a phone number, past cue words
    ("phone", "Very devoted family. Tamsyn Orrowell cell # 617-555-0142 home # 617-555-0188.",
     ["Tamsyn", "Orrowell", "617-555-0142"], ["devoted", "cell", "home"]),
    ("phone", "Pharmacy cell 617-555-0142 for questions.", ["617-555-0142"], ["Pharmacy"]),
    # places that are also common words, read as places only in context
    ("place", "Surgeon from Concord in this eve to talk to pt.", ["Concord"], ["Surgeon", "eve"]),
    ("place", "DAUGHTER IS AT THE MYSTIC, WILL CALL IN AM.", ["MYSTIC"], ["DAUGHTER", "CALL"]),
    ("place", "plan discussed at family meeting at mystic\n\ngi: abd soft", ["mystic"], ["family", "meeting"]),
    ("place", "Pt weaned from Normal saline to D5W. BP normal at rest.", [], ["Normal", "normal", "rest"]),
    ("place", "PT IS AT REST, SLEEPING. FAMILY IN TO VISIT.", [], ["REST", "FAMILY"]),
    # two-digit years after procedures
    ("year", "PMH: s/p colonoscopy 09, cath 97 with stent to RCA.", ["09", "97"], ["colonoscopy", "RCA"]),
    ("year", "Sheath pulled, cath 16 fr removed, site clean.", [], ["16"]),
    ("year", "Social: retired 2010, widowed 2012. Meds given at 2015.", ["2010", "2012"], ["2015"]),
    # a bare number on a note's title line names the note, not a time
    ("title", "Admission note 4471\npt is a 67 yo woman admitted with chf.", ["4471"], ["67"]),
    ("title", "Nursing Progress Note 0700-1900\nHR 120\nBP 110/60", [], ["0700-1900", "120"]),
    # an unknown word and number after a preposition is a unit only in the same phrase
    ("unit", "Hx: ETOH abuse, DTs in '97, pancreatitis 98.", ["'97"], ["pancreatitis"]),
]


@pytest.mark.parametrize("rule,text,gone,kept", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_context_rule(scrubber, rule, text, gone, kept):
    spans = scrubber.detect(text)
    out = scrubber.scrub(text).text
    for value in gone:
        a = text.index(value)
        assert any(s.start <= a and a + len(value) <= s.end for s in spans), f"{rule}: {value!r} not scrubbed"
    for word in kept:
        assert word in out, f"{rule}: {word!r} was scrubbed"
