"""Lexical layer: person names, places and institutions from gazetteers plus context rules.

How it stays fast: the text is split once (``re.split`` keeps separators, offsets come from
``itertools.accumulate`` in C), each word is classified with one dict look-up (bit flags from
:mod:`medins.phi.gazetteers`), and Python only visits the few "interesting" words (names,
places, titles, relation words, institution heads...) found by a C-level set intersection.

Why these rules (recall-first, clinical notes are often ALL CAPS or all lower case, so case is a
weak cue):

* a word in the first/last-name lists that is not also a common English or clinical word is a
  name wherever it appears ("Masci", "lorrie");
* ambiguous names ("Will", "Price", "Bill", "Grace") and unknown words are names only in context:
  after a title (Dr, Mrs), a relation word (son, wife, daughter), before a credential (RN, MD),
  next to an unambiguous name, or after an initial; after "reach", "spoke with", "left message
  for"; before ", pt's daughter", before a phone number; capitalised in a lower-case note;
  after "NAME and" when no list knows the word;
* institutions: the words before a head word (Hospital, Hosp, Clinic, Memorial...) and after
  St/Saint/Holy; places: city/county gazetteer, "lives in X", "transferred to X"; places that are
  also common words ("Hope") only capitalised after from/at/on, where a relative is ("daughter is
  at the X") or where a meeting is ("meeting at X");
* a word found by context once (e.g. "Mr. Lomish") is flagged everywhere in the same text.
"""

from __future__ import annotations

import re
from itertools import accumulate, compress, islice

from . import gazetteers as gz
from .types import Span

_SPLIT = re.compile(r"([A-Za-z]+)")
_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}
_UPPER_BYTES = bytes(range(65, 91))
_LOWER_BYTES = bytes(range(97, 123))
_STATE_AFTER = re.compile(
    r",\s*(?:(?-i:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    r"NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)\.?,?\s+\d{5}\b|(?:alabama|alaska|arizona|"
    r"arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|indiana|"
    r"iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|"
    r"missouri|montana|nebraska|nevada|new\s+\w+|north\s+\w+|south\s+\w+|ohio|oklahoma|oregon|"
    r"pennsylvania|rhode\s+island|tennessee|texas|utah|vermont|virginia|washington|west\s+virginia|"
    r"wisconsin|wyoming)\b)",
    re.IGNORECASE,
)

_STATE_WORDS = frozenset(gz.US_STATES)
_STATE_ZIP = re.compile(r",\s*[A-Z]{2}\.?,?\s+\d{5}")
_TRIGGERS = gz.TITLE | gz.RELATION | gz.ROLE | gz.CRED | gz.INST_HEAD | gz.INST_WEAK | gz.SAINT | gz.MOVE | gz.MULTI
_MOVE_PREPS = frozenset("to from at in into of near".split())
_LOC_PREPS = frozenset("to from at in into near on".split())
_MOVE_SKIP = frozenset("back home the over out up down alone together".split())
_RESIDENCE = frozenset("lives live living resides reside residing moved".split())
_UNIVERSITY = frozenset("university univ college u".split())
#: words that follow a title/relation/role word but are not names ("NP aware", "son called")
_NOT_NAME = frozenset(
    "aware notified called paged made in at here there present said says states stated ordered "
    "wants would will to and or on of for is was has had saw seen spoke left went came visited "
    "updated phoned arrived also both all again".split()
)
#: verbs that follow a person's name in care notes ("E. Welsh aware", "Bill called")
_ACTIONS = frozenset(
    "aware notified called paged made ordered here present said says states stated spoke came "
    "visited updated phoned arrived in wants wanted agreed consented explained discussed met "
    "informed requested asked feels felt reports reported".split()
)
#: employer cues: "works for X", "CEO of X", "his business X", "retired from X"
_EMPLOYER = {
    "works": ("for", "at"),
    "worked": ("for", "at"),
    "working": ("for", "at"),
    "employed": ("by", "at"),
    "employee": ("of", "at"),
    "ceo": ("of", "at"),
    "owner": ("of",),
    "president": ("of",),
    "business": ("",),
    "company": ("",),
    "retired": ("from",),
    "employer": ("",),
}
#: reaching a person: "able to reach Pat", "spoke with Kay", "left message for Will" (a name follows)
_CONTACT = {
    **dict.fromkeys(
        ("reach", "reached", "contacted", "phoned", "paged", "called", "call", "notified", "updated", "informed"),
        ("",),
    ),
    **dict.fromkeys(("told", "asked"), ("",)),
    **dict.fromkeys(("spoke", "speak", "spoken", "talked", "talk", "discussed"), ("with", "to", "w")),
    "met": ("with", "w"),
    **dict.fromkeys(("message", "msg"), ("for", "with", "to")),
}
_CONTACT_WORDS = frozenset(_CONTACT)
_CENTER = frozenset("center centre ctr system systems".split())
_SAINT_FIXED = frozenset("heart cross family name spirit trinity redeemer innocents".split())
_SOAP = frozenset("a p o".split())


class _LazyClasses:
    """``cls[j]`` = class bits of word j, looked up on demand (most words are never asked for)."""

    __slots__ = ("words", "get")

    def __init__(self, words: list[str], classes: dict[str, int]) -> None:
        self.words = words
        self.get = classes.get

    def __getitem__(self, j: int) -> int:
        return self.get(self.words[j], 0)


class _Doc:
    """Tokenised view of one text: words, their classes and offsets, case mode.

    ``upper``: mostly upper case (capitalisation carries no signal); ``lower``: mostly lower case
    (a capitalised word is a signal, a lower-case one is not evidence against a name); ``caps``:
    either of the two.
    """

    __slots__ = ("text", "parts", "words", "cls", "offs", "_case", "n")

    def __init__(self, text: str, parts: list[str], cls: "_LazyClasses") -> None:
        self.text = text
        self.parts = parts
        self.words = parts[1::2]
        self.cls = cls
        self.offs = list(accumulate(map(len, parts)))
        self.n = len(self.words)
        self._case: tuple[bool, bool] | None = None

    def _case_mode(self) -> tuple[bool, bool]:
        if self._case is None:
            sample = self.text[:2000].encode("ascii", "ignore")
            uppers = len(sample) - len(sample.translate(None, _UPPER_BYTES))
            letters = uppers + len(sample) - len(sample.translate(None, _LOWER_BYTES))
            upper = letters == 0 or uppers > 0.5 * letters
            self._case = (upper, not upper and uppers < 0.04 * letters)
        return self._case

    @property
    def upper(self) -> bool:
        return self._case_mode()[0]

    @property
    def lower(self) -> bool:
        return self._case_mode()[1]

    @property
    def caps(self) -> bool:
        u, lo = self._case_mode()
        return u or lo

    def start(self, i: int) -> int:
        return self.offs[2 * i]

    def end(self, i: int) -> int:
        return self.offs[2 * i + 1]

    def sep_before(self, i: int) -> str:
        return self.parts[2 * i]

    def sep_after(self, i: int) -> str:
        return self.parts[2 * i + 2]

    def glued(self, i: int) -> bool:
        """Word i has a digit right before it ("5peep", "1st", "20g" are never names)."""
        a = self.offs[2 * i]
        return a > 0 and self.text[a - 1].isdigit()

    def orig(self, i: int) -> str:
        return self.text[self.offs[2 * i] : self.offs[2 * i + 1]]

    def capitalised(self, i: int) -> bool:
        """Title-case word in a text where case means something (not an ALL CAPS text)."""
        if self.upper:
            return False
        o = self.orig(i)
        return o[0].isupper() and (len(o) == 1 or not o[1:].isupper())

    def acronym(self, i: int) -> bool:
        o = self.orig(i)
        if self.upper or o.isupper() or (self.lower and o.islower()):
            return True
        return o.islower() and i > 0 and self.words[i - 1] in ("at", "to", "from")

    def clause_start(self, i: int) -> bool:
        sep = self.parts[2 * i]
        return i == 0 or any(c in sep for c in ":.;\n(-") or sep == ""


def _letter_boundary(d: _Doc, j: int) -> bool:
    """A lone letter that is a word of its own: not "90'S", "A/C", "O.R.", "D/C", "3rd"."""
    before = d.sep_before(j)
    if j and before[-1:] not in (" ", "\n", "(", "\t", "-", ","):
        return False
    after = d.sep_after(j) if j + 1 < d.n else ""
    return not after.startswith("/") and not (
        after.startswith(".") and j + 1 < d.n and len(d.words[j + 1]) == 1 and d.sep_after(j + 1).startswith(".")
    )


_ACRONYM_BEFORE = frozenset("to from at in into the by via of for near leave left".split())
_ACRONYM_AFTER = frozenset("er ew ed hospital hosp icu ccu micu sicu tcu cath lab clinic rehab".split())


def _acronym_context(d: _Doc, i: int) -> bool:
    """A hospital acronym (GH, MGH, GBMC) needs a place-like neighbour: "to GH", "GH EW"."""
    if d.text[d.end(i) : d.end(i) + 1].isdigit():
        return False
    if i and d.words[i - 1] in _ACRONYM_BEFORE or "@" in d.sep_before(i) or ">" in d.sep_before(i):
        return True
    return i + 1 < d.n and d.words[i + 1] in _ACRONYM_AFTER and _tight(d.sep_after(i))


_TIGHT = re.compile(r"[^\n,;:()\[\]/.]{1,3}")


def _tight(sep: str) -> bool:
    """Separator inside a multi-word name: spaces, hyphen or apostrophe; no line break or stop."""
    return _TIGHT.fullmatch(sep) is not None


def _spaced(sep: str) -> bool:
    """Words of one phrase: only blanks between them (or the slash of "w/")."""
    return 0 < len(sep) <= 3 and sep.strip(" /") == ""


def _soft(sep: str) -> bool:
    """Separator allowed after a title or relation word: spaces and light punctuation."""
    return 0 < len(sep) <= 5 and "\n" not in sep


def find_lexical(text: str, low: str | None = None) -> tuple[list[Span], set[str]]:
    """Name/place/institution spans of ``text`` plus the set of its lower-cased words."""
    lex = gz.lexicon()
    if low is None:
        low = text.lower()
        if len(low) != len(text):
            low = text.translate(_ASCII_LOWER)
    parts = _SPLIT.split(low)
    words = parts[1::2]
    wset = set(words)
    classes = lex.classes
    found = wset & lex.lookout
    hits = found & lex.interesting
    places = found & lex.ambiguous_places
    if not wset.isdisjoint(_CONTACT_WORDS):
        hits |= wset & _CONTACT_WORDS
    unknown = wset - lex.known
    # multi-word places: C-level intersection of the text's bigrams with the known phrase starts
    bigrams = lex.multi_keys.intersection(zip(words, islice(words, 1, None)))
    special = {
        w for w in unknown if (2 <= len(w) <= 4 and w[-1] == "h") or (3 <= len(w) <= 5 and w[-2:] in ("mc", "hc"))
    }
    longu = {w for w in unknown if len(w) >= 5}
    if not hits and not special and not longu and not bigrams:
        return [], wset
    d = _Doc(text, parts, _LazyClasses(words, classes))
    cls = d.cls
    marks: dict[int, str] = {}
    by_context: set[str] = set()
    look = hits | special | longu
    if bigrams:
        firsts = {a for a, _ in bigrams}
        look |= firsts
    get = classes.get
    offs = d.offs
    for i in compress(range(len(words)), map(look.__contains__, words)):
        a = offs[2 * i]
        if a and text[a - 1].isdigit():
            continue  # "5peep", "1st", "20g": letters glued to digits are never names
        w = words[i]
        c = get(w, 0)
        if c == 0:
            if w in special and d.acronym(i) and _acronym_context(d, i):
                marks[i] = "INSTITUTION"  # GH, MGH, GBMC, VAMC: hospital acronyms
                by_context.add(w)
            elif w in longu and i and (words[i - 1] in _LOC_PREPS or ":" in parts[2 * i]):
                _unit_number(d, i, marks, by_context)
            continue
        if c & gz.NAME_ANY and not c & gz.AMBIG:
            if c & gz.PLACE and i and words[i - 1] in _MOVE_PREPS:
                marks.setdefault(i, "LOCATION")
            else:
                marks.setdefault(i, "NAME")
        elif c & gz.PLACE and not c & gz.AMBIG:
            marks.setdefault(i, "LOCATION")
        if c & gz.FIRST and c & gz.AMBIG and i not in marks and _capital_in_lower(d, i):
            _mark_ctx(d, i, "NAME", marks, by_context)
        if w in gz.PATIENT_TITLES:
            if i + 1 < d.n and get(words[i + 1], 0) & gz.NAME_ANY:
                _after_title(d, i, marks, by_context)
            continue
        if c & _TRIGGERS or bigrams:
            if bigrams and i + 1 < d.n and (w, words[i + 1]) in bigrams:
                _multi_place(d, i, lex, marks)
            if c & gz.TITLE:
                _after_title(d, i, marks, by_context)
            if c & gz.RELATION:
                _after_relation(d, i, marks, by_context)
                _before_relation_in_parens(d, i, marks, by_context)
                _before_relation_apposition(d, i, marks, by_context)
            if c & gz.ROLE:
                _after_role(d, i, marks, by_context)
            if c & gz.CRED:
                _before_credential(d, i, marks, by_context)
            if c & (gz.INST_HEAD | gz.INST_WEAK):
                _before_head(d, i, marks, by_context)
            if c & gz.SAINT:
                _after_saint(d, i, marks, by_context)
            if c & gz.MOVE:
                _after_move(d, i, marks, by_context)
        if w in _UNIVERSITY:
            _after_university(d, i, marks)
        if w in _EMPLOYER:
            _after_employer(d, i, marks, by_context)
        if w in _CONTACT:
            _after_contact(d, i, marks, by_context)
        if c & gz.FIRST and c & gz.AMBIG and i + 1 < d.n and words[i + 1] in _ACTIONS and not c & gz.STOP:
            _first_then_action(d, i, marks, by_context)
    if "," in text and (not wset.isdisjoint(_STATE_WORDS) or _STATE_ZIP.search(text)):
        _before_state(d, marks)
    _initials(d, marks, by_context, wset)
    places = _place_candidates(d, places, wset, hits)
    if places:
        for i in compress(range(1, d.n), map(places.__contains__, islice(words, 1, None))):
            if words[i - 1] in _PLACE_CUES and i not in marks:
                _place_in_context(d, i, marks)
    if "-" in text:
        _before_phone(d, marks, by_context)
    if marks:
        _extend_names(d, marks)
        if by_context:
            for j in compress(range(len(words)), map(by_context.__contains__, words)):
                if j not in marks and not d.glued(j):
                    marks[j] = "NAME" if cls[j] & gz.NAME_ANY else "LOCATION"
    spans = [Span(d.start(i), d.end(i), k) for i, k in marks.items()]
    return spans, wset


# --- word tests -------------------------------------------------------------------------------


def _namey(d: _Doc, j: int, strong: bool) -> bool:
    """Could word j be (part of) a person name after a cue? ``strong``: after Dr/Mrs."""
    if j >= d.n or d.glued(j):
        return False
    c = d.cls[j]
    w = d.words[j]
    if c & (gz.STOP | gz.CRED | gz.TITLE):
        if not (strong and c & gz.NAME_ANY and d.capitalised(j)):
            return False
    if c == 0:
        return len(w) >= 2 or d.sep_after(j).startswith(".")
    if c & gz.NAME_ANY:
        if not c & gz.AMBIG:
            return True
        if strong or d.caps:
            return w not in _NOT_NAME or d.capitalised(j)
        return d.capitalised(j)
    if c & gz.PLACE and (d.caps or d.capitalised(j)):
        return strong
    return strong and d.capitalised(j) and w not in _NOT_NAME


def _capital_in_lower(d: _Doc, j: int) -> bool:
    """A given name capitalised mid-sentence in a lower-case note ("supportive to pt, Kay.")."""
    if not d.text[d.offs[2 * j]].isupper() or not d.lower or not d.capitalised(j) or d.clause_start(j):
        return False
    c = d.cls[j]
    if c & (gz.STOP | gz.TITLE | gz.CRED | gz.RELATION | gz.ROLE | gz.STATE | gz.MEDICAL):
        return False
    if d.words[j] in _NOT_NAME or d.words[j] in gz.lexicon().clinical:
        return False
    return not _eponym(d, j)


def _eponym(d: _Doc, j: int) -> bool:
    """Word j names a disease or sign, not a person or place: "Graves disease", "Bell's palsy",
    "Rocky Mountain spotted fever"."""
    return not _EPONYM_HEADS.isdisjoint(d.words[j + 1 : j + 4])


#: words after an eponym: "Turner syndrome", "Bell's palsy", "Rocky Mountain spotted fever"
_EPONYM_HEADS = frozenset(
    ("syndrome", "syndromes", "disease", "diseases", "palsy", "fever", "sign", "signs", "test", "tests", "reflex")
    + ("phenomenon", "procedure", "operation", "maneuver", "manoeuvre", "score", "criteria", "classification")
    + ("spotted", "ulcer", "tumor", "tumour", "node", "nodes", "lymphoma", "sarcoma", "anomaly", "cyst", "fracture")
)


def _clear_name(d: _Doc, j: int) -> bool:
    """An unambiguous name, or (where case means something) a capitalised name-list word."""
    c = d.cls[j]
    if c & gz.STOP or d.glued(j):
        return False
    return bool(c & gz.NAME_ANY) and (not c & gz.AMBIG or d.capitalised(j))


def _first_like(d: _Doc, j: int) -> bool:
    """Right after a relation word: a given name (family members go by first names)."""
    c = d.cls[j]
    if d.glued(j) or c & (gz.STOP | gz.CRED | gz.TITLE | gz.RELATION):
        return False
    if c == 0:
        return len(d.words[j]) >= 3 and (d.caps or d.capitalised(j))
    if c & gz.NAME_ANY and not c & gz.AMBIG:
        return True
    if c & gz.FIRST:
        return d.capitalised(j) or (d.caps and d.words[j] not in _NOT_NAME)
    return d.capitalised(j) and bool(c & gz.NAME_ANY)


def _surname_like(d: _Doc, j: int) -> bool:
    """After a name already found: an unknown word or a clear name continues it."""
    c = d.cls[j]
    if d.glued(j) or c & (gz.STOP | gz.CRED | gz.TITLE | gz.RELATION):
        return False
    if c == 0:
        return len(d.words[j]) >= 2 and (d.caps or d.capitalised(j))
    return bool(c & gz.NAME_ANY) and (not c & gz.AMBIG or d.capitalised(j))


def _mark_ctx(d: _Doc, j: int, kind: str, marks: dict[int, str], by_context: set[str]) -> None:
    marks[j] = kind
    c = d.cls[j]
    if not c & gz.AMBIG and len(d.words[j]) >= 3:
        by_context.add(d.words[j])


def _is_initial(d: _Doc, j: int) -> bool:
    """A single letter followed by a period ("E. Welsh") or, in mixed case, a capital letter."""
    if len(d.words[j]) != 1 or j + 1 >= d.n or not _letter_boundary(d, j):
        return False
    after = d.sep_after(j)
    return after.startswith(".") or (after == " " and d.orig(j).isupper() and not d.lower)


# --- rules ------------------------------------------------------------------------------------


def _after_title(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "Dr. Price", "Mrs Haas", "Drs' Ballou and Dutter", "Dr. O'Connell", "MR LOMISH"."""
    w = d.words[i]
    strong = w in gz.STRONG_TITLES
    weak = w in gz.WEAK_TITLES
    j = i + 1
    if w in gz.PATIENT_TITLES:
        if j < d.n and _tight(d.sep_before(j)) and not d.glued(j):
            cj = d.cls[j]
            if cj & gz.NAME_ANY and not cj & gz.STOP and (d.capitalised(j) or not cj & gz.AMBIG):
                _mark_ctx(d, j, "NAME", marks, by_context)
                if j + 1 < d.n and _tight(d.sep_before(j + 1)) and _surname_like(d, j + 1):
                    _mark_ctx(d, j + 1, "NAME", marks, by_context)
        return
    if not strong and not weak and not d.capitalised(i) and not d.caps:
        return
    if j >= d.n or ":" in d.sep_before(j) or "\n" in d.sep_before(j) or d.glued(j):
        return  # "MS: alert" is a section header
    if weak:
        cj = d.cls[j]
        if d.upper or (d.lower and d.orig(j).islower()):
            if cj & gz.STOP or not (cj == 0 or cj & gz.NAME_ANY) or d.words[j] in _NOT_NAME:
                return
            if cj & gz.AMBIG and not cj & gz.NAME_ANY:
                return
        elif not d.capitalised(j):
            return
        strong = True
    taken = 0
    while j < d.n and taken < 3 and _soft(d.sep_before(j)):
        wj = d.words[j]
        if len(wj) == 1 and (d.sep_after(j).startswith(".") or wj == "o"):
            marks[j] = "NAME"  # initial, or O' of O'Connell
            j += 1
            continue
        if wj == "and" and w in ("drs", "doctors") and taken:
            j += 1
            continue
        if taken == 0:
            if not _namey(d, j, strong):
                break
            if wj in _NOT_NAME and not d.capitalised(j):
                break
        elif not (
            _surname_like(d, j)
            or (d.capitalised(j) and not d.cls[j] & gz.STOP)
            or (d.caps and d.cls[j] & gz.LAST and d.cls[j - 1] & gz.FIRST and wj not in _NOT_NAME)
        ):
            break
        _mark_ctx(d, j, "NAME", marks, by_context)
        taken += 1
        j += 1
        if j < d.n and not _tight(d.sep_before(j)):
            break


_GROUPS = frozenset("family children kids parents friends siblings".split())
_RELATION_FILLERS = frozenset("in law s grand great step".split())


def _after_relation(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "son Bill", "daughter-KRISSY", "wife, Carol Buckley", "sons Smokey, Morris and Roger"."""
    j = i + 1
    while j < d.n and d.words[j] in _RELATION_FILLERS and _soft(d.sep_before(j)):
        if d.words[j] == "in" and not (j + 1 < d.n and d.words[j + 1] == "law"):
            break
        j += 1  # son-in-law, daughter's, step daughter, grand daughter
    if d.words[i] in _GROUPS:
        # "family (Amy, John)": only clear names, or any name-like word inside parentheses
        if j < d.n and (_clear_name(d, j) or ("(" in d.sep_before(j) and _first_like(d, j))):
            pass
        else:
            return
    if j >= d.n or not _soft(d.sep_before(j)):
        return
    if d.words[j] in ("named", "is", "name"):
        j += 1
        if j < d.n and d.words[j] == "is":
            j += 1
    if j >= d.n or not _first_like(d, j):
        return
    _mark_ctx(d, j, "NAME", marks, by_context)
    j += 1
    taken = 1
    while j < d.n and taken < 6:
        sep = d.sep_before(j)
        if _tight(sep) and _surname_like(d, j):
            _mark_ctx(d, j, "NAME", marks, by_context)
        elif (sep.strip() == "," or d.words[j] == "and") and "\n" not in sep:
            k = j + 1 if d.words[j] == "and" else j
            if k < d.n and (_clear_name(d, k) or _listed_name(d, k)):
                _mark_ctx(d, k, "NAME", marks, by_context)
                j = k
            else:
                break
        else:
            break
        taken += 1
        j += 1


def _listed_name(d: _Doc, k: int) -> bool:
    """In a list of relatives' names, a further name: a word no list knows ("grandkids tobiah, wrenna
    and tamsyn") or, in a caseless note, a given name that ends the list ("DAUGHTERS KIM AND SUE.")."""
    c = d.cls[k]
    if d.glued(k) or c & (gz.STOP | gz.TITLE | gz.CRED | gz.RELATION | gz.ROLE):
        return False
    if c == 0:
        return d.capitalised(k) or (d.caps and len(d.words[k]) >= 3)
    return bool(d.caps and c & gz.FIRST and d.words[k] not in _NOT_NAME and _ends_clause(d, k))


def _ends_clause(d: _Doc, k: int) -> bool:
    """Word k is the last of its clause: punctuation, a line break or the end of the text follows."""
    after = d.sep_after(k)
    return after.strip()[:1] in ("", ".", ",", ";", ")", ":") and (after.strip() != "" or "\n" in after or k + 1 >= d.n)


def _before_relation_in_parens(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "Hank Przybylo (son)", "URSLA MORETTI (DAUGHTER)": the words before name the relative."""
    sep = d.sep_before(i)
    if not sep.rstrip().endswith("(") or i == 0:
        return
    j = i - 1
    taken = 0
    while j >= 0 and taken < 3:
        if not _surname_like(d, j) and not _namey(d, j, False):
            break
        _mark_ctx(d, j, "NAME", marks, by_context)
        taken += 1
        if not _tight(d.sep_before(j)):
            break
        j -= 1


_POSSESSIVES = frozenset(("pt", "patient", "his", "her", "their", "the"))


def _before_relation_apposition(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "Tamsyn, pt's daughter, called", "KAY, HIS WIFE, AT BEDSIDE": a name that opens the
    sentence, set off by a comma before the relation word."""
    k = next((k for k in range(i - 1, max(-1, i - 5), -1) if "," in d.sep_after(k)), -1)
    if k < 0 or _apposed_relation(d, k) != i:
        return
    first = k
    while first > k - 2 and first > 0 and _tight(d.sep_before(first)) and _surname_like(d, first - 1):
        first -= 1
    if not d.clause_start(first):
        return
    c = d.cls[first]
    if not all(_surname_like(d, j) for j in range(first, k + 1)):
        if first < k or not (d.caps and c & gz.FIRST and not c & gz.STOP and d.words[k] not in _NOT_NAME):
            return  # in a caseless note a lone given name ("PAT, HIS SISTER") still opens it
    if c & gz.AMBIG and not c & gz.FIRST:
        return  # "Alert, daughter at bedside": a common word that is only a surname opens no name
    for j in range(first, k + 1):
        _mark_ctx(d, j, "NAME", marks, by_context)


def _after_role(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "NP Grace", "RN (Edward)", "NURSE VIRGINIA SALLESE", "RABBI KLEIN CAME"."""
    j = i + 1
    if j >= d.n or not _soft(d.sep_before(j)) or d.glued(j):
        return
    cj = d.cls[j]
    wj = d.words[j]
    if cj & gz.STOP or wj in _NOT_NAME:
        return
    nxt_action = j + 1 < d.n and d.words[j + 1] in _ACTIONS
    nxt_name = (
        j + 1 < d.n
        and _tight(d.sep_before(j + 1))
        and (d.cls[j + 1] == 0 or (d.cls[j + 1] & gz.NAME_ANY and not d.cls[j + 1] & gz.AMBIG))
    )
    ok = (cj & gz.NAME_ANY and not cj & gz.AMBIG) or (cj == 0 and len(wj) >= 3 and (d.caps or d.capitalised(j)))
    if not ok and cj & gz.NAME_ANY:
        ok = d.capitalised(j) or "(" in d.sep_before(j) or (d.caps and (nxt_action or nxt_name))
    if not ok:
        return
    _mark_ctx(d, j, "NAME", marks, by_context)
    j += 1
    if j < d.n and _tight(d.sep_before(j)) and _surname_like(d, j):
        _mark_ctx(d, j, "NAME", marks, by_context)


def _past_preposition(d: _Doc, i: int, preps, sep_ok) -> int | None:
    """Where the name after cue word `i` starts: past one of its prepositions ("reach", "spoke with"),
    or right after the cue when it may stand alone (`""` in `preps`); None when neither holds."""
    j = i + 1
    if j < d.n and d.words[j] in preps and sep_ok(d.sep_before(j)):
        return j + 1
    return j if "" in preps else None


def _after_contact(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "able to reach Pat", "spoke with Kay Lind", "left message for Will": the person reached.

    Only a name-list word that is clearly a name here (unambiguous, or capitalised where case means
    something) is taken: "called back", "spoke with team", "updated MD" are not names.
    """
    preps = _CONTACT[d.words[i]]
    j = _past_preposition(d, i, preps, _spaced)
    if j is None:
        return
    if j >= d.n or not _spaced(d.sep_before(j)) or j in marks:
        return
    c = d.cls[j]
    if c & (gz.TITLE | gz.CRED | gz.RELATION | gz.ROLE) or d.words[j] in _NOT_NAME:
        return
    if not _clear_name(d, j) and not (c & gz.FIRST and not c & gz.STOP and _apposed_relation(d, j) >= 0):
        return
    if _eponym(d, j) or (i and d.words[i - 1] in ("is", "was", "a", "an", "thing", "drug", "something")):
        return  # "a drug called Silver...", "what is called Bell's palsy"
    if c & gz.AMBIG:
        # an ambiguous word is a given name here, not a service or desk ("Case Manager", "Social Work")
        nxt = d.cls[j + 1] if j + 1 < d.n and _tight(d.sep_after(j)) else gz.STOP
        if not c & gz.FIRST or (nxt & gz.COMMON and not nxt & gz.NAME_ANY and d.capitalised(j + 1)):
            return
    _mark_ctx(d, j, "NAME", marks, by_context)
    j += 1
    if j < d.n and _tight(d.sep_before(j)) and _surname_like(d, j):
        _mark_ctx(d, j, "NAME", marks, by_context)


def _apposed_relation(d: _Doc, k: int) -> int:
    """Index of the kinship word in ", (the) pt's sister" / ", his wife" right after word k, else -1."""
    if k < 0 or d.sep_after(k).strip() != ",":
        return -1
    j = k + 1
    if j < d.n and d.words[j] == "the":
        j += 1
    if j + 1 < d.n and d.words[j] in ("pt", "patient") and d.words[j + 1] == "s" and d.sep_after(j) == "'":
        j += 2
    elif j < d.n and d.words[j] in _POSSESSIVES:
        j += 1
    return j if j < d.n and d.cls[j] & gz.RELATION and not d.glued(j) else -1


def _before_credential(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "Marie Munroe RN", "EDWARD C. JONES, RRT", "DAN A. FORMAN-LYONS, RRT", "s. roberto rrt"."""
    o = d.orig(i)
    if not d.caps and not o.isupper():
        return
    sep = d.sep_before(i)
    if "\n" in sep or len(sep) > 3 or i == 0:
        return
    after = d.sep_after(i) if i + 1 < d.n else "\n"
    signature = "," in sep or "\n" in after or i + 1 >= d.n
    j = i - 1
    taken = 0
    while j >= 0 and taken < 4:
        if _is_initial(d, j) and taken:
            marks[j] = "NAME"
            if not _soft(d.sep_before(j)) or "\n" in d.sep_before(j):
                break
            j -= 1
            continue
        if not _namey(d, j, False):
            break
        cj = d.cls[j]
        if cj & gz.AMBIG and not signature and not d.capitalised(j):
            break
        _mark_ctx(d, j, "NAME", marks, by_context)
        taken += 1
        sb = d.sep_before(j)
        if j >= 1 and sb in (". ", ".") and _is_initial(d, j - 1):
            j -= 1
            continue
        if j >= 1 and sb == "'" and d.words[j - 1] in ("o", "d"):
            marks[j - 1] = "NAME"  # O'Connell, D'Angelo
            j -= 1
            if j >= 1 and _tight(d.sep_before(j)):
                j -= 1
                continue
            break
        if not _tight(sb):
            break
        j -= 1


def _before_head(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "Calvert Hospital", "Harbor Hosp", "KEELEY HOUSE", "harford memorial", "LAUREL REGIONAL"."""
    c = d.cls[i]
    weak = not c & gz.INST_HEAD
    if weak and i + 1 < d.n and d.words[i] in ("medical", "health") and d.words[i + 1] in _CENTER:
        weak = False  # "Mercy Medical Center"
    if weak and not d.caps and not d.capitalised(i):
        return
    clinical = gz.lexicon().clinical
    j = i - 1
    taken = 0
    while j >= 0 and taken < 3 and _tight(d.sep_after(j)):
        cj = d.cls[j]
        wj = d.words[j]
        if marks.get(j) == "INSTITUTION":
            taken += 1
            j -= 1
            continue
        if cj & gz.STOP or (cj & (gz.INST_HEAD | gz.INST_WEAK) and not cj & gz.INST_NAMEPART):
            break
        if len(wj) == 1 or d.glued(j) or wj in clinical:
            break
        if cj == 0 or (cj & (gz.NAME_ANY | gz.PLACE | gz.STATE) and not cj & gz.AMBIG & ~gz.STATE):
            ok = True
        elif d.capitalised(j):
            ok = True
        elif d.caps and not weak:
            ok = bool(cj & (gz.NAME_ANY | gz.PLACE | gz.INST_NAMEPART | gz.SAINT))
        else:
            ok = bool(cj & (gz.NAME_ANY | gz.PLACE)) and not cj & (gz.COMMON | gz.STOP)
        if not ok:
            break
        marks[j] = "INSTITUTION"
        if cj == 0 and len(wj) >= 3:
            by_context.add(wj)
        taken += 1
        j -= 1
    if taken and c & gz.INST_NAMEPART:
        marks[i] = "INSTITUTION"


def _after_saint(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "St. Mary('s)", "St Agnes", "Holy Cross", "Sacred Heart": an institution name."""
    j = i + 1
    if j >= d.n or d.glued(j) or d.glued(i):
        return
    sep = d.sep_before(j)
    if sep not in (" ", ". ", ".", "  "):
        return
    before = d.sep_before(i)
    if i and before[-1:] not in (" ", "\n", "(", "@", "-") and before != "":
        return
    w = d.words[i]
    if w in ("st", "ste") and not d.caps and not d.orig(i)[0].isupper():
        return
    cj = d.cls[j]
    wj = d.words[j]
    if cj & gz.STOP and not (len(wj) == 1 and d.orig(j).isupper()):
        return
    if w in ("holy", "sacred") and wj in _SAINT_FIXED:
        ok = True
    elif d.upper:
        ok = bool(cj & gz.FIRST) and (not cj & gz.AMBIG or wj not in _NOT_NAME) or len(wj) == 1
    elif d.lower:
        ok = bool(cj & gz.NAME_ANY) and (d.capitalised(j) or not cj & gz.AMBIG)
    else:
        ok = d.capitalised(j) or (len(wj) == 1 and d.orig(j).isupper())
    if ok:
        marks[j] = "INSTITUTION"
        if w in ("st", "saint", "ste", "sacred"):
            marks[i] = "INSTITUTION"
        if j + 1 < d.n and d.words[j + 1] == "s" and d.sep_before(j + 1) == "'":
            marks[j + 1] = "INSTITUTION"


def _after_move(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "transferred to Quartermain", "lives in Hampton", "retired from GH"."""
    strong = d.words[i] in _RESIDENCE
    j = i + 1
    while j < d.n and d.words[j] in _MOVE_SKIP and _soft(d.sep_before(j)):
        j += 1
    if j >= d.n or d.words[j] not in _MOVE_PREPS or not _soft(d.sep_before(j)):
        return
    j += 1
    if j < d.n and d.words[j] in ("the", "a"):
        j += 1
    taken = 0
    while j < d.n and taken < 2 and _soft(d.sep_before(j)) and not d.glued(j):
        cj = d.cls[j]
        wj = d.words[j]
        if cj == 0:
            # unknown words: medical jargon is unknown too, so where case means something the
            # word must be capitalised or an acronym ("to Quartermain", "to GH", not "to cystoscopy")
            ok = len(wj) >= 2 and (len(wj) >= 4 or d.acronym(j))
            if ok and not d.caps and not d.capitalised(j) and not d.orig(j).isupper():
                ok = False
        elif cj & (gz.NAME_ANY | gz.PLACE) and not cj & gz.AMBIG:
            ok = True
        elif cj & (gz.NAME_ANY | gz.PLACE | gz.STATE) and not cj & gz.STOP:
            ok = d.capitalised(j) or (strong and (d.caps or len(wj) == 2))
        elif strong and len(wj) == 2 and d.orig(j).isupper() and not cj & gz.STOP:
            ok = True  # "lives in DC"
        else:
            ok = False
        if not ok:
            break
        marks[j] = "LOCATION"
        if cj == 0 and (len(wj) >= 3 or d.orig(j).isupper()):
            by_context.add(wj)
        taken += 1
        j += 1
        if j < d.n and not _tight(d.sep_before(j)):
            break


#: gatherings held somewhere: "family meeting at Hope" names the place
_GATHERINGS = frozenset(
    ("meeting", "meetings", "appointment", "appt", "conference", "visit", "visiting", "class", "service", "funeral")
)
_BEING = frozenset(("is", "was", "are", "were", "stays", "staying", "stayed"))
_PLACE_CUES = frozenset(("from", "at", "on", "near", "in", "the"))
_RELATION_WORDS = frozenset(gz.RELATIONS)


def _place_candidates(d: _Doc, places: set[str], wset: set[str], hits: set[str]) -> set[str]:
    """The text's common-word places worth a look (a C-level filter: most texts have none)."""
    if not places:
        return places
    if not wset.isdisjoint(_GATHERINGS) or (not wset.isdisjoint(_BEING) and not hits.isdisjoint(_RELATION_WORDS)):
        return places  # a caseless cue is in the text: any of them may follow it
    if d.upper:
        return set()
    return {w for w in places if w.capitalize() in d.text}  # the case cue needs a capital


def _place_in_context(d: _Doc, i: int, marks: dict[int, str]) -> None:
    """A place name that is also a common word ("Hope", "Bath"), read as a place only in context:

    * capitalised mid-sentence after "from", "at", "on" or "near" ("surgeon from Bath"), where
      case means something;
    * where a relative is ("daughter is at the Hope,"): relation + is/was + at/in (+ the);
    * where a gathering is ("family meeting at hope").
    """
    j = i - 1
    if j >= 0 and d.words[j] == "the" and _spaced(d.sep_before(i)):
        j -= 1
    if j < 0 or not _spaced(d.sep_after(j)) or d.glued(i):
        return
    prep = d.words[j]
    if (
        prep in ("from", "at", "on", "near")
        and not d.upper
        and d.capitalised(i)
        and not d.clause_start(j)
        and not d.cls[i] & (gz.MEDICAL | gz.STATE)
        and not _eponym(d, i)
    ):
        marks[i] = "LOCATION"
        return
    if prep not in ("at", "in") or j == 0 or not _spaced(d.sep_before(j)):
        return
    before = d.words[j - 1]
    gathering = prep == "at" and before in _GATHERINGS
    relative = before in _BEING and j >= 2 and _spaced(d.sep_before(j - 1)) and d.cls[j - 2] & gz.RELATION
    if gathering or relative:
        marks[i] = "LOCATION"


def _unit_number(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """An unknown word + floor/unit number after a preposition ("on QUARTERMAIN 6", "to Finard 3")."""
    if len(d.words[i]) < 6:
        return
    if not (i and d.words[i - 1] in _LOC_PREPS) and not (":" in d.sep_before(i) and (d.caps or d.capitalised(i))):
        return
    if _DIGIT.search(d.sep_before(i)):
        return  # "DTs in '97, pancreatitis 98": the preposition belongs to another phrase
    end = d.end(i)
    m = _UNIT_NUM.match(d.text, end)
    if m:
        marks[i] = "LOCATION"
        by_context.add(d.words[i])


_DIGIT = re.compile(r"\d")
_UNIT_NUM = re.compile(r" ?\d{1,2}(?![\d.,]\d)(?=\s*(?:$|[\n.,;)]|(?:when|for|with|and|at|on|today|tomorrow)\b))", re.I)


def _after_employer(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "works for Vista Health", "CEO OF IBM", "his business Genentech": the employer's name."""
    preps = _EMPLOYER[d.words[i]]
    j = _past_preposition(d, i, preps, _soft)
    if j is None:
        return
    taken = 0
    while j < d.n and taken < 2 and _soft(d.sep_before(j)) and not d.glued(j):
        cj = d.cls[j]
        if cj & gz.STOP or d.words[j] in gz.lexicon().clinical:
            break
        if not (
            cj == 0
            or d.capitalised(j)
            or (d.caps and taken == 0 and "" not in preps)
            or (taken and d.caps and cj & gz.INST_WEAK)
        ):
            break
        marks[j] = "INSTITUTION"
        taken += 1
        j += 1
        if j < d.n and not _tight(d.sep_before(j)):
            break


def _after_university(d: _Doc, i: int, marks: dict[int, str]) -> None:
    """ "University of Maryland", "U of MD": the whole name."""
    j = i + 1
    if d.words[i] == "u" and (not d.orig(i).isupper() or not _letter_boundary(d, i) or d.sep_after(i) != " "):
        return
    if j < d.n and d.words[j] == "of" and _tight(d.sep_before(j)):
        j += 1
    if j < d.n and _tight(d.sep_before(j)) and not d.cls[j] & gz.STOP:
        if d.words[i] == "u" and not (d.cls[j] & (gz.STATE | gz.PLACE) or d.words[j] in ("md", "m")):
            return
        for k in range(i, j + 1):
            marks[k] = "INSTITUTION"


def _before_state(d: _Doc, marks: dict[int, str]) -> None:
    """ "Towson, Maryland", "Boston, MA 02114": the words before a comma + state are a city."""
    for m in _STATE_AFTER.finditer(d.text):
        pos = m.start()
        k = _word_before_offset(d, pos)
        if k < 0 or d.text[d.end(k) : pos].strip():
            continue
        taken = 0
        while k >= 0 and taken < 3:
            ck = d.cls[k]
            if ck & (gz.STOP | gz.CRED) or d.glued(k):
                break
            if ck & gz.COMMON and not ck & (gz.NAME_ANY | gz.PLACE) and not d.capitalised(k):
                break
            marks[k] = "LOCATION"
            taken += 1
            if not _tight(d.sep_before(k)):
                break
            k -= 1


def _multi_place(d: _Doc, i: int, lex: gz.Lexicon, marks: dict[int, str]) -> None:
    """Multi-word places ("San Diego", "new haven"); all-common ones need case or a preposition."""
    if i + 1 >= d.n:
        return
    for parts in lex.multi_places.get((d.words[i], d.words[i + 1]), ()):
        k = len(parts)
        if i + k > d.n:
            continue
        if any(d.words[i + t] != parts[t] for t in range(2, k)):
            continue
        if any(not _tight(d.sep_before(i + t)) for t in range(1, k)):
            continue
        if all(d.cls[i + t] & (gz.COMMON | gz.SHORT) for t in range(k)):
            b = i - 1
            if b >= 0 and d.words[b] == "the":
                b -= 1
            before = d.words[b] if b >= 0 else ""
            cased = all(d.capitalised(i + t) for t in range(k))
            if not (cased or (before in _LOC_PREPS and (d.caps or cased))):
                continue
        for t in range(k):
            marks[i + t] = "LOCATION"
        return


def _first_then_action(d: _Doc, i: int, marks: dict[int, str], by_context: set[str]) -> None:
    """ "social: bill called", "JOHN STATES HIS SISTER": a first name at a clause start + action."""
    if i + 1 >= d.n or not d.clause_start(i) or d.words[i] in _NOT_NAME:
        return
    if d.cls[i] & (gz.RELATION | gz.TITLE | gz.ROLE | gz.CRED) or d.words[i + 1] == "in":
        return
    if not _tight(d.sep_after(i)) or d.words[i + 1] not in _ACTIONS:
        return
    if d.caps or d.capitalised(i) or ":" in d.sep_before(i):
        marks[i] = "NAME"


#: a phone number's last group, then what may stand before it ("617-555-", "(617) 555-", "555-")
_PHONE_TAIL = re.compile(r"-\d{4}(?![\d\-/:])")
_PHONE_HEAD = re.compile(r"(?<![\d/.\-])(?:\(?\d{3}\)?[ .\-]{0,2})?\d{3}$")
#: words between a contact's name and the number ("Kay Lind cell # 555-...", "Kay (h) 555-...")
_PHONE_CUES = frozenset(
    ("cell", "cellular", "mobile", "mob", "home", "work", "office", "phone", "ph", "tel", "telephone", "pager")
    + ("beeper", "num", "number", "no", "c", "h", "w")
)


def _before_phone(d: _Doc, marks: dict[int, str], by_context: set[str]) -> None:
    """ "Kay Lind cell # 617-555-0100", "Yvette: (617) 555-0100": the words right before a phone
    number (past cue words like "cell #") name the person to call."""
    text = d.text
    for tail in _PHONE_TAIL.finditer(text):
        m = _PHONE_HEAD.search(text, max(0, tail.start() - 14), tail.start())
        if m is None:
            continue
        k = _word_before_offset(d, m.start())
        cues = 0
        while k >= 0 and d.words[k] in _PHONE_CUES and cues < 2 and "\n" not in d.sep_after(k):
            k -= 1
            cues += 1
        if k < 0 or "\n" in d.sep_after(k) or len(d.sep_after(k).strip(" #:-()")) > 0:
            continue
        taken = 0
        while k >= 0 and taken < 3 and k not in marks and _surname_like(d, k):
            if d.cls[k] & (gz.ROLE | gz.INST_HEAD | gz.INST_WEAK | gz.MOVE):
                break  # "Pharmacy cell ...", "Rehab office ...": a desk, not a person
            _mark_ctx(d, k, "NAME", marks, by_context)
            taken += 1
            if not _tight(d.sep_before(k)):
                break
            k -= 1


def _word_before_offset(d: _Doc, pos: int) -> int:
    """Index of the last word ending at or before ``pos`` (-1 if none)."""
    lo, hi, k = 0, d.n - 1, -1
    while lo <= hi:
        mid = (lo + hi) // 2
        if d.end(mid) <= pos:
            k = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return k


_INITIAL_LETTERS = frozenset("bcdefghijklmnqrstuvwxyz")


def _initials(d: _Doc, marks: dict[int, str], by_context: set[str], wset: set[str]) -> None:
    """ "E. WELSH AWARE", "J SMITH ORDERED", "N. GRANDONE": initial + surname (+ action)."""
    letters = wset & _INITIAL_LETTERS
    if not letters:
        return
    words = d.words
    text = d.text
    offs = d.offs
    parts = d.parts
    for j in compress(range(d.n - 1), map(letters.__contains__, words)):
        if not text[offs[2 * j]].isupper():
            continue
        after = parts[2 * j + 2]
        if after not in (". ", ".", " ") or not _letter_boundary(d, j):
            continue
        wj = words[j]
        if d.upper and wj in ("c", "r", "l", "w", "s", "x") and after == " ":
            continue  # C = with, R/L = right/left, W = with, S = without, X = times
        k = j + 1
        ck = d.cls[k]
        if d.glued(k) or ck & (gz.STOP | gz.CRED | gz.TITLE):
            continue
        nxt = words[k + 1] if k + 1 < d.n else ""
        nsep = d.sep_after(k) if k + 1 < d.n else ""
        action = nxt in _ACTIONS or nsep.strip()[:1] in (":", ",")
        if after == " " and not action:
            continue
        if ck == 0 and len(words[k]) >= 3:
            ok = action or after.startswith(".")
        elif ck & gz.NAME_ANY:
            ok = not ck & gz.AMBIG or action
        else:
            ok = False
        if ok:
            marks[j] = "NAME"
            marks[k] = "NAME"
            if not ck & gz.AMBIG and len(words[k]) >= 3:
                by_context.add(words[k])


def _and_unknown(d: _Doc, i: int) -> int | None:
    """ "Suzette and Hnk.", "suzette & hnk": after a name, "and"/"&" + a word in no list (a nickname
    or a rare given name) that ends the clause is a second name; returns its index."""
    if i + 1 >= d.n:
        return None
    if d.sep_after(i).strip() == "&":
        k = i + 1
    elif d.words[i + 1] == "and" and _spaced(d.sep_after(i)) and i + 2 < d.n and _spaced(d.sep_after(i + 1)):
        k = i + 2
    else:
        return None
    if d.cls[k] != 0 or len(d.words[k]) < 3 or d.glued(k) or not (d.caps or d.capitalised(k)):
        return None
    return k if _ends_clause(d, k) else None


def _extend_names(d: _Doc, marks: dict[int, str]) -> None:
    """Grow NAME marks over initials and adjacent name-like words ("Gerry Masci", "Art White")."""
    for i in [i for i, k in marks.items() if k == "NAME"]:
        k = i + 2  # "Suzette and Hank"
        if k < d.n and d.words[i + 1] == "and" and k not in marks and d.cls[k] & gz.FIRST and not d.glued(k):
            if not d.cls[k] & gz.STOP and (d.capitalised(k) or not d.cls[k] & gz.AMBIG):
                marks[k] = "NAME"
        elif (u := _and_unknown(d, i)) is not None and u not in marks:
            marks[u] = "NAME"
    for i in [i for i, k in marks.items() if k != "NAME"]:
        k = i + 1  # "Kessler Adventist", "Sacred Heart Memorial"
        if k < d.n and k not in marks and d.cls[k] & gz.INST_NAMEPART and _tight(d.sep_before(k)):
            marks[k] = "INSTITUTION"
    for _ in range(3):
        changed = False
        for i in sorted(marks):
            if marks[i] != "NAME":
                continue
            for j in (i + 1, i - 1):
                if j < 0 or j >= d.n or j in marks or d.glued(j):
                    continue
                sep = d.sep_before(i + 1) if j > i else d.sep_after(i - 1)
                w = d.words[j]
                c = d.cls[j]
                if len(w) == 1:
                    if j < i and w in ("o", "d") and sep == "'":
                        marks[j] = "NAME"
                        changed = True
                    elif j < i and _is_initial(d, j) and w not in _SOAP and sep.strip() in ("", "."):
                        marks[j] = "NAME"
                        changed = True
                    continue
                if not _tight(sep):
                    continue
                if c == 0:
                    if len(w) >= 3 and (d.caps or d.orig(j)[0].isupper() == d.orig(i)[0].isupper()):
                        marks[j] = "NAME"
                        changed = True
                    continue
                if not c & gz.NAME_ANY or c & (gz.STOP | gz.CRED | gz.TITLE | gz.RELATION):
                    continue
                if not c & gz.AMBIG:
                    ok = True
                elif d.capitalised(j) and d.capitalised(i):
                    ok = True
                else:
                    # FIRST + LAST bigram in a caseless text: "WARREN KAVALIUNAS", "Henry Jones"
                    ci = d.cls[i]
                    first_last = (j < i and c & gz.FIRST and (ci & gz.LAST or ci == 0)) or (
                        j > i and ci & gz.FIRST and c & gz.LAST
                    )
                    ok = bool(first_last) and d.caps and w not in _NOT_NAME and not ci & gz.AMBIG
                if ok:
                    marks[j] = "NAME"
                    changed = True
        if not changed:
            break
