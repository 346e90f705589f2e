"""Word lists and the per-word class table used by the lexical (name/place/institution) layer.

Why a single dict of bit flags: the lexical layer looks every token up once, so one ``dict.get``
per token answers every question (is it a first name, a surname, a common English or clinical
word, a place, a title, a relation word...). Building it costs ~0.3 s once per process; it is
cached.

Data files live in ``medins/phi/data/`` (provenance in each file's first line, rebuilt by
``python -m medins.phi._build_data``); the small curated lists (titles, relation words,
institution heads, states) are general knowledge written here.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources
from typing import Iterable

# --- bit flags ------------------------------------------------------------------------------
FIRST = 1 << 0  # first-name list
LAST = 1 << 1  # surname list
COMMON = 1 << 2  # common English / clinical word: a name only with context
PLACE = 1 << 3  # single-word place below state level
TITLE = 1 << 4  # dr, mr, mrs ...: the next tokens are a name
RELATION = 1 << 5  # son, wife, daughter ...: the next token is probably a name
CRED = 1 << 6  # rn, md, rrt ...: the tokens before are probably a name
INST_HEAD = 1 << 7  # hospital, clinic ...: the tokens before name an institution
INST_WEAK = 1 << 8  # house, center ...: only an unusual word before names an institution
STOP = 1 << 9  # function words: never part of a name
LOC_PREP = 1 << 10  # in, from, of, at, to: a following place is a location
MULTI = 1 << 11  # first word of a multi-word place name
MOVE = 1 << 12  # transferred, admitted, sent ...: "MOVE to X" names a place
SAINT = 1 << 13  # st, saint, holy, sacred: "St X" names an institution
STATE = 1 << 14  # US state names and postal codes (not PHI by themselves)
SHORT = 1 << 15  # one- or two-letter word: a name only with context
MEDICAL = 1 << 16  # a name that is also a medical term (from the build-time filter)
INST_NAMEPART = 1 << 17  # memorial: head word that is part of the proper name
ROLE = 1 << 18  # np, rn, attending ...: a following clearly name-like word is a name

NAME_ANY = FIRST | LAST
AMBIG = COMMON | SHORT | STATE | MEDICAL

TITLES = (
    "dr drs doctor doc mr mrs ms miss mister mrs madam madame mme prof professor rev reverend "
    "sr sister brother fr father attn attention pt patient"
).split()
# Titles strong enough that the next word is a name even when it is also a common word.
STRONG_TITLES = frozenset("dr drs doctor mrs miss mister madam madame mme prof professor attn attention".split())
#: "MR" (mitral regurgitation) and "MS" (mental status) are titles only before a name-like word.
WEAK_TITLES = frozenset("mr ms".split())
#: "Pt John" / "patient Amy": only a capitalised (or unambiguous) name follows
PATIENT_TITLES = frozenset("pt patient".split())
RELATIONS = (
    "son sons daughter daughters dtr dtrs dau wife husband hus spouse sister sisters sis brother "
    "brothers bro mother mom father dad niece nieces neice nephew nephews cousin cousins aunt "
    "uncle grandson grandsons granddaughter granddaughters grandaughter grandchild grandchildren "
    "granddtr grandmother grandfather grandma grandpa friend friends neighbor neighbour proxy hcp "
    "boyfriend girlfriend partner fiance fiancee guardian sibling siblings stepson stepdaughter "
    "stepmother stepfather caregiver companion roommate landlord family children kids parents poa "
    "grandkids grandkid godson goddaughter godmother godfather stepsister stepbrother stepchildren"
).split()
#: Care-team roles: a following word is a name only if it is clearly name-like (not "NP aware").
ROLES = (
    "pcp np nurse attending resident intern fellow surgeon cardiologist physician rn md sw therapist "
    "chaplain priest rabbi pastor counselor ho intensivist hospitalist consultant pharmacist "
    "dietician dietitian nutritionist slp rrt"
).split()
CREDENTIALS = "rn md rrt np lpn bsn ccrn msw licsw phd cns crna pac dds dmd facs mph mba rd rph pharmd".split()
INST_HEADS = (
    "hospital hospitals hosp hospiatal hosptial hospitol clinic clinics infirmary hospice rehab "
    "rehabilitation sanatorium sanitarium healthcare"
).split()
INST_WEAK_HEADS = "house center centre home manor village court place institute medical health".split()
STOPWORDS = (
    "a an the this that these those to from at in on of for into onto by with without and or but "
    "nor as is was were be been being are am has have had do does did will would can could should "
    "may might must shall his her hers their theirs our ours my mine your yours its it he she they "
    "we you i me him them us who whom whose which what when where why how then than so not no yes "
    "outside local community other another same prior previous referring transferring receiving "
    "nearby area state county private psych psychiatric teaching university city "
    "via per pt pts patient patients s t re up out over under after before while until till also "
    "just only very again still now here there today tonight yesterday tomorrow all any some each "
    "both few more most several such own back"
).split()
LOC_PREPS = "in from of at to near around toward towards into".split()
MOVE_WORDS = (
    "transfer transferred transfered transfering transferring trans xfer xferred admitted admit "
    "readmitted sent send sending going go goes went return returned returning returns discharged "
    "discharge dc dcd moved move brought came arrived taken taking bound headed seen followed "
    "presented lives live living resides reside residing stays staying visiting work works worked "
    "referred ref adm"
).split()
SAINT_WORDS = "st saint ste holy sacred".split()

US_STATES = (
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico york "
    "carolina dakota ohio oklahoma oregon pennsylvania rhode island tennessee texas utah vermont "
    "virginia washington wisconsin wyoming columbia puerto rico guam"
).split()
#: Two-letter USPS codes; matched case-sensitively (upper case) by the regex layer only.
US_STATE_CODES = frozenset(
    (
        "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
        "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI"
    ).split()
)
COUNTRIES = (
    "america usa us canada mexico england britain uk ireland scotland wales france germany italy "
    "spain portugal greece poland russia ukraine china japan korea india pakistan israel iran iraq "
    "egypt nigeria ghana kenya ethiopia brazil argentina chile peru colombia cuba haiti jamaica "
    "philippines vietnam cambodia thailand europe africa asia australia"
).split()

#: Named regions below state level that are not in the city/county lists (general knowledge).
REGIONS = (
    "eastern shore",
    "western shore",
    "north shore",
    "south shore",
    "cape cod",
    "back bay",
    "north end",
    "south end",
    "west end",
    "east end",
    "upper east side",
    "upper west side",
    "lower east side",
    "south side",
    "north side",
    "west side",
    "east side",
    "inner harbor",
    "silicon valley",
    "twin cities",
    "hudson valley",
    "lake country",
    "gold coast",
    "outer banks",
    "florida keys",
)

_DATA_PKG = "medins.phi.data"


def _read_gz(name: str) -> list[str]:
    with resources.files(_DATA_PKG).joinpath(name).open("rb") as raw, gzip.open(raw, "rt") as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]


def _read_txt(name: str) -> list[str]:
    out: list[str] = []
    for line in resources.files(_DATA_PKG).joinpath(name).read_text().splitlines():
        line = line.split("#", 1)[0]
        out.extend(w.lower() for w in line.split())
    return out


class Lexicon:
    """The loaded word lists plus the combined class table (``classes``)."""

    def __init__(self) -> None:
        first = set(_read_gz("first_names.txt.gz"))
        last = set(_read_gz("last_names.txt.gz"))
        english = set(_read_gz("english_words.txt.gz"))
        medical = set(_read_gz("medical_names.txt.gz"))
        clinical = set(_read_txt("clinical_terms.txt"))
        places_all = _read_gz("places.txt.gz")

        self.first = frozenset(w for w in first if " " not in w)
        self.last = frozenset(w for w in last if " " not in w)
        self.clinical = frozenset(clinical)
        classes: dict[str, int] = {}

        def add(words: Iterable[str], flag: int) -> None:
            for w in words:
                classes[w] = classes.get(w, 0) | flag

        add(english, COMMON)
        add(clinical, COMMON)
        add(COUNTRIES, COMMON)
        add(medical, MEDICAL)
        add(self.first, FIRST)
        add(self.last, LAST)
        add(US_STATES, STATE)
        # multi-word places: remember them by first word
        multi: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        single: list[str] = []
        for p in places_all:
            parts = tuple(p.replace("-", " ").split())
            if not parts:
                continue
            if len(parts) == 1:
                single.append(parts[0])
            elif all(x.isalpha() for x in parts):
                multi.setdefault((parts[0], parts[1]), []).append(parts)
        add(single, PLACE)
        for k in multi:
            multi[k].sort(key=len, reverse=True)
        for region in REGIONS:
            parts = tuple(region.split())
            multi.setdefault((parts[0], parts[1]), []).append(parts)
        add({a for a, _ in multi}, MULTI)
        self.multi_places = multi
        add(TITLES, TITLE | COMMON)
        add(RELATIONS, RELATION | COMMON)
        add(ROLES, ROLE | COMMON)
        add(CREDENTIALS, CRED | COMMON)
        add(INST_HEADS, INST_HEAD | COMMON)
        add(["memorial", "regional"], INST_HEAD | INST_NAMEPART | COMMON)
        add(
            [
                "general",
                "mercy",
                "presbyterian",
                "baptist",
                "methodist",
                "lutheran",
                "adventist",
                "childrens",
                "children",
            ],
            INST_NAMEPART | COMMON,
        )
        add(INST_WEAK_HEADS, INST_WEAK | COMMON)
        add(STOPWORDS, STOP | COMMON)
        add(LOC_PREPS, LOC_PREP | STOP | COMMON)
        add(MOVE_WORDS, MOVE | COMMON)
        add(SAINT_WORDS, SAINT | COMMON)
        for w, c in classes.items():
            if len(w) <= 2:
                classes[w] = c | SHORT
        self.classes = classes
        trig = TITLE | RELATION | ROLE | CRED | INST_HEAD | INST_WEAK | SAINT | MOVE
        #: words that make the lexical layer look closer (C-level set intersection per text)
        self.interesting = frozenset(
            w
            for w, c in classes.items()
            if c & trig
            or (c & (NAME_ANY | PLACE) and not c & AMBIG)
            or (c & FIRST and not c & (STOP | SHORT) and w not in self.clinical)
        ) | {
            "university",
            "univ",
            "college",
            "u",
            "works",
            "worked",
            "working",
            "employed",
            "employee",
            "ceo",
            "owner",
            "president",
            "business",
            "company",
            "retired",
            "employer",
        }
        #: frozen key sets for C-level set operations
        self.known = frozenset(classes)
        self.multi_keys = frozenset(multi)
        self.multi_firsts = frozenset(a for a, _ in multi)
        #: places that are also common words ("Hope", "Bath"): a place only in a place context
        self.ambiguous_places = frozenset(
            w for w, c in classes.items() if c & PLACE and c & AMBIG and not c & STOP and w not in self.clinical
        )
        #: both of the above: one C-level intersection per text finds them all
        self.lookout = self.interesting | self.ambiguous_places
        #: unambiguous person names: the residual check's "must never pass" name list
        self.unambiguous_names = frozenset(
            w for w, c in classes.items() if c & NAME_ANY and not c & AMBIG and len(w) >= 3
        )

    def is_unambiguous_name(self, word: str) -> bool:
        c = self.classes.get(word, 0)
        return bool(c & NAME_ANY) and not c & AMBIG


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide lexicon (built on first use)."""
    return Lexicon()
