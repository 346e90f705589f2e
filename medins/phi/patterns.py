"""Regex layer: number-like identifiers, contact data, dates, ages, addresses, MIMIC placeholders.

Why anchored on digits: almost every identifier and date holds a digit, and Python's ``re`` is only
fast when a pattern starts with a plain character class. So the text is scanned once for digit
clusters (``\\d[\\d/.\\-:A-Za-z]*``, ~50 MB/s); each cluster is then classified with one *anchored*
alternation (``CLASSIFY.match(text, pos)``) and, for the few that need it, a look at a short window
before it ("MRN:", "pager #", "s/p CABG", "May", "age") or after it ("yo", "May 2015"). Patterns that
do not start with a digit (e-mails, URLs, IPv6, placeholders) run only when a cheap substring test
says they can occur. Validators (calendar ranges, IP octets, year-vs-clock-time, date-vs-pain-score)
keep precision without costing recall on the common formats.
"""

from __future__ import annotations

import re

from .types import Span

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
MONTH_WORDS = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december".split()
)
_STATE_CODES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR"
)
_STATE_NAMES = (
    r"alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|"
    r"hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|"
    r"michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|hampshire|jersey|"
    r"mexico|york|carolina|dakota|ohio|oklahoma|oregon|pennsylvania|rhode island|tennessee|texas|"
    r"utah|vermont|virginia|washington|wisconsin|wyoming"
)
# Events after which a bare 2-digit number is a year ("s/p CABG 92", "MI '81", "CVA 74'").
_EVENTS = (
    r"n?q?w?mi|nstemi|stemi|ami|imi|cabg|cva|tia|ptca|pci|stents?|stented|avr|mvr|tvr|redo|"
    r"ablation|surgery|repair|resection|lumpectomy|mastectomy|nephrectomy|cholecystectomy|"
    r"appendectomy|hysterectomy|colectomy|turp|tah|bso|ppm|aicd|pacer|pacemaker|dx|dx'd|"
    r"diagnosed|bypass|transplant|fracture|fx|thr|tkr|orif|laminectomy|craniotomy|cea|"
    r"endarterectomy|angioplasty|ca|cancer"
)

# USPS street suffixes (common subset), Title case; the ALL CAPS variant is derived.
_SUFFIXES = (
    "St Street Ave Avenue Rd Road Blvd Boulevard Drive Dr Ln Lane Ct Court Way Pl Place Ter Terrace "
    "Pkwy Parkway Hwy Highway Cir Circle Sq Square Trl Trail Track Prairie Freeway Fwy Pine Pines "
    "Squares Burg Burgs Spur Spurs Port Ports Run Union Unions Point Points Cliff Cliffs Crossing Xing "
    "Creek Crest Cove Coves Ridge Ridges Hill Hills Heights Hts Park Parks Path Pike Plaza Plz Loop "
    "Mall Mews Alley Aly Row Walk Bend Bluff Bluffs Branch Brook Brooks Bypass Camp Canyon Cape "
    "Causeway Center Centers Common Commons Corner Corners Crescent Dale Dam Divide Drives Estate "
    "Estates Expressway Extension Falls Ferry Field Fields Flat Flats Ford Fords Forest Forge Forges "
    "Fork Forks Fort Garden Gardens Gateway Glen Glens Green Greens Grove Groves Harbor Harbors "
    "Haven Inlet Island Islands Isle Junction Junctions Key Keys Knoll Knolls Lake Lakes Landing "
    "Light Lights Lock Locks Lodge Manor Manors Meadow Meadows Mill Mills Mission Motorway Mount "
    "Mountain Mountains Neck Orchard Oval Overpass Pass Passage Plain Plains Radial Ramp Ranch "
    "Rapid Rapids Rest Route Shoal Shoals Shore Shores Skyway Spring Springs Station Stravenue "
    "Stream Summit Throughway Trace Trafficway Tunnel Turnpike Underpass Valley Valleys Viaduct "
    "View Views Village Villages Ville Vista Well Wells Courts Rue Ways Stream Streets Roads Lanes"
)
_SUFFIX_TITLE = "|".join(sorted(set(_SUFFIXES.split()), key=len, reverse=True))

#: Digit clusters: every candidate starts at one of these (a plain character-class start keeps
#: the C scan at ~50 MB/s; decimals, clock times and number+unit words are dropped in Python).
CLUSTER = re.compile(r"\d[\d/.\-:A-Za-z]*")

#: A house number and the words up to the next comma, after "address:" or "lives at".
_STREET_CTX = re.compile(
    r"\d{1,5}(?:[ \t]+[A-Za-z][A-Za-z'.\-]*){1,4}(?:,?[ \t]*(?:apt|apartment|suite|ste|unit|#)\.?[ \t]*#?"
    r"[ \t]*[A-Za-z0-9\-]+)?(?=[ \t]*[,\n])",
    re.IGNORECASE,
)
#: Anchored classifier, tried at the start of each cluster (order matters: longest forms first).
CLASSIFY = re.compile(
    r"(?P<ip4>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\d.]|\.\d)"
    r"|(?P<ssn>\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4})(?![\d\-])"
    r"|(?P<ymd>(?:19|20)\d\d(?P<s1>[\-/.])(?:0?[1-9]|1[0-2])(?P=s1)(?:0?[1-9]|[12]\d|3[01]))(?![\d/.\-]?\d)"
    r"|(?P<dmy>\d\d?(?P<s2>[\-/.])\d\d?(?P=s2)(?:(?:19|20)\d\d|\d\d))(?![\d/.\-]\d|\d|%)"
    r"|(?P<phone>(?:1[\s.\-]?)?\d{3}\)?(?:[\s.\-/]{0,3})\d{3}[\s.\-/]{0,3}\d{4})(?!\d)"
    r"|(?P<mdy2>(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\.(?:19|20)?\d\d)(?![\d/.])"
    r"|(?P<phone_paren>\d{3}\s\d{3}\s\d{4,5})(?=\))"
    r"|(?P<phone7>\d{3}-\d{4})(?![\d\-/])"
    r"|(?P<mdmd>(?:0?[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01]))(?![\d/])"
    r"|(?P<my4>(?:0?[1-9]|1[0-2])[/\-](?:19|20)\d\d)(?![\d/\-])"
    r"|(?P<md>\d\d?/\d\d?)(?![\d/A-Za-z%]|\.\d)"
    r"|(?P<age>(?:9\d|1[0-2]\d))(?=\s*-?\s*(?:y/o|y\.o|yo\b|yrs?\b|years?\b|y\b|yr-old|yrold))"
    r"|(?P<apy>\d\d')(?![A-Za-z0-9'])"
    r"|(?P<street>\d{1,5}\s+(?:[NSEW]\.?\s+)?(?-i:(?:[A-Z][a-z]+\s+){1,3}(?:" + _SUFFIX_TITLE + r")"
    r"|(?:[A-Z]{3,}\s+){1,3}(?:ST|STREET|AVE|AVENUE|RD|ROAD|BLVD|BOULEVARD|DRIVE|LANE|TERRACE|PARKWAY"
    r"|HIGHWAY|COURT|PLACE|CIRCLE|TRAIL|PIKE|PLAZA|SQUARE))\b\.?"
    r"(?:,?\s*(?:apt|apartment|suite|ste|unit|#)\.?\s*#?\s*[A-Za-z0-9\-]+)?)",
    re.IGNORECASE,
)

# --- look-behind contexts, decided on the last few words before a cluster (dict look-ups; a
# `$`-anchored regex search over a window costs ~50x more).
_CTX_WORDS: dict[str, str] = {}
for _kind, _words in {
    "MRN": "mrn mr medical_record med_rec record unit_no unit_number hospital_number hospital_no "
    "hospital_id chart patient_id patient_number pt_id accession hosp mrno",
    "HEALTH_PLAN": "member subscriber policy insurance insurer health_plan plan group medicare medicaid "
    "hicn mbi beneficiary payer payor",
    "ACCOUNT": "account acct billing invoice claim bank routing",
    "LICENSE": "license licence lic dea npi certificate cert permit registration badge passport",
    "VEHICLE": "vin vehicle license_plate plate tag",
    "DEVICE": "serial s/n sn device udi model lot implant imei mac_address",
    "BIOMETRIC": "fingerprint finger_print retinal_scan retina_scan iris_scan voiceprint voice_print "
    "biometric palmprint palm_print facial_scan facial_template dna_profile",
    "FAX": "fax facsimile",
    "PHONE": "pager pgr pg beeper beep cell cellular mobile tel telephone phone ph home work office "
    "contact call callback ext extension page paged",
    "ID": "identifier ref reference case job order specimen study ticket confirmation employee "
    "student visit encounter requisition",
}.items():
    for _w in _words.split():
        _CTX_WORDS[_w.replace("_", " ")] = _kind
_CTX_FILLERS = frozenset("no number num nbr # id is of code template".split())
_STATE_NAME_SET = frozenset(w for w in _STATE_NAMES.replace("|", " ").split())
_STATE_CODE_SET = frozenset(_STATE_CODES.split("|"))
_EVENT_SET = frozenset(
    "mi nqwmi qwmi nstemi stemi ami imi cabg cva tia ptca pci stent stents stented avr mvr tvr redo "
    "ablation surgery repair resection lumpectomy mastectomy nephrectomy cholecystectomy appendectomy "
    "hysterectomy colectomy turp tah bso ppm aicd pacer pacemaker dx dx'd diagnosed bypass transplant "
    "fracture fx thr tkr orif laminectomy craniotomy cea endarterectomy angioplasty ca cancer cath caths "
    "catheterization chole appy stroke amputation egd ercp".split()
)
#: procedure names by their endings ("colonoscopy 09", "tracheostomy '04", "kyphoplasty 2011")
_PROCEDURE_ENDINGS = ("ectomy", "otomy", "ostomy", "plasty", "oscopy")
_EVENT_SKIP = frozenset("in on x s/p of".split())
#: first words that can start an identifier context (single words and first words of phrases)
_CTX_GATE = frozenset(w.split()[-1] for w in _CTX_WORDS) | _CTX_FILLERS
_CTX_GATE_OR_NONE = _CTX_GATE | {""}
_EVENT_GATE = _EVENT_SET | _EVENT_SKIP
_TIME_WORDS = frozenset("at by until till from to about approx around".split())
_YEAR_WORDS = (
    frozenset(
        "in since of year yr during circa ca dx diagnosed born summer winter spring fall autumn s/p hx "
        "history back early late mid quit retired married widowed divorced immigrated emigrated".split()
    )
    | _EVENT_SET
)
_MD_BAD_WORDS = frozenset(
    "pain score scale scales rated rates rating strength strengths grade murmur sem hsm motor power "
    "gcs apgar dilated effaced station ratio mae equal moves move grip grips grasp grasps vent psv ps "
    "co/ci ci co cpap bipap peep imv simv a/c settings setting cmv prvc aprv ps/peep fio mask mode "
    "collar sbt rsbi flowby bottles bottle x".split()
)
_MD_DATE_WORDS = frozenset(
    "on since from until till date dated due lbm d/c dc admitted adm seen started begun s/p last next "
    "thru through f/u dob birth in for off placed until".split()
)
_ORDINAL_WORDS = frozenset("on since until till thru through by before after".split())
_POBOX_WORDS = frozenset("box apt apartment suite ste".split())
_MONTH_SKIP = frozenset("of the".split())


_RW = r"[^A-Za-z0-9\n#]{0,12}(#|[A-Za-z](?:[A-Za-z]|[/'](?=[A-Za-z]))*)"
#: Matched on the *reversed* text at ``len(text) - s``: up to four words before ``s``, nearest first.
_RPREV = re.compile(_RW + "".join("(?:" + _RW + ")?" for _ in range(3)))


class _Rev:
    """Reversed text, so that 'words before offset s' is one anchored forward ``match``."""

    __slots__ = ("r", "n")

    def __init__(self, text: str) -> None:
        self.r = text[::-1]
        self.n = len(text)


def _prev(text: str, s: int, rev: _Rev | None = None) -> list[tuple[int, str]]:
    """Up to four lower-cased words right before ``s`` with their offsets, nearest first.

    Only separators (no digits, no line break) may lie between them and ``s``; '#' counts as a
    word. Done as an anchored match on the reversed text: a ``$``-anchored search over a window
    costs ~10x more, and a Python reverse scan ~5x more.
    """
    if rev is None:
        rev = _Rev(text[max(0, s - 48) : s])
        base = max(0, s - 48)
        m = _RPREV.match(rev.r, 0)
    else:
        base = 0
        m = _RPREV.match(rev.r, rev.n - s)
    if m is None:
        return []
    out: list[tuple[int, str]] = []
    n = rev.n
    for g in (1, 2, 3, 4):
        w = m.group(g)
        if w is None:
            break
        out.append((base + n - m.end(g), w[::-1].lower()))
    return out


def _ctx_kind(text: str, s: int, toks: list[tuple[int, str]] | None = None) -> str | None:
    """Kind named by an identifier context word just before offset ``s`` ("MRN:", "pager #")."""
    if toks is None:
        toks = _prev(text, s)
    saw_filler = False
    for i, (_, w) in enumerate(toks):
        if i + 1 < len(toks):
            kind = _CTX_WORDS.get(f"{toks[i + 1][1]} {w}")
            if kind is not None:
                return kind
        kind = _CTX_WORDS.get(w)
        if kind is not None:
            return kind
        if w in _CTX_FILLERS and i < 3:
            saw_filler = saw_filler or w in ("id", "#", "number")
            continue
        break
    return "ID" if saw_filler else None


def _last_word(
    text: str, s: int, skip: frozenset[str] = frozenset(), toks: list[tuple[int, str]] | None = None
) -> tuple[int, str]:
    """Nearest word before ``s`` (skipping ``skip`` words) with only separators between; else (-1, "")."""
    for pos, w in toks if toks is not None else _prev(text, s):
        if w in skip:
            continue
        return pos, w
    return -1, ""


_MONTH_AFTER = re.compile(
    r"(?:st|nd|rd|th)?\s*(?:of\s+)?(?:"
    + _MONTH_FULL
    + r"|"
    + _MONTH_ABBR
    + r"\.?(?=\s*,?\s*(?:(?:19|20)\d\d|'\d\d)))\b",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(r"(?:st|nd|rd|th)?\.?,?\s*(?:(?:19|20)\d\d|'\d\d)\b(?![\d/]|\.\d)", re.IGNORECASE)
_UNITS_AFTER = re.compile(
    r"\s*(?:cc|ml|mls|mg|mcg|units?|u\b|kcal|cals?|g\b|gm|grams?|hrs?\b|h\b|pm\b|am\b|mmhg|l\b|lpm|x\b"
    r"|meq|mmol|kg|lbs?|calories|feet|ft|steps|times|%|/|:|\.\d|-\d)",
    re.IGNORECASE,
)
_MD_BAD_AFTER = re.compile(
    r"\s*(?:pain|murmur|sem|hsm|holo|systolic|diastolic|strength|str\b|motor|power|grade|scale|tabs?\b"
    r"|tablets?|caps?\b|ns\b|d5|normal saline|dose|dilut|mmhg|\+\s*(?:pulses?|\d)|pulses?|bilat|in\s+(?:all|bil|r|l)"
    r"|ue\b|le\b|bue|ble|rue|lue|rle|lle|ext\b|extrem|with\s+(?:movement|activity|cough)|at\s+rest"
    r"|on\s+(?:the\s+)?(?:pain|scale)|(?:left|right|rt|lt|r|l)\s+(?:arm|leg|hand|side|grip|ue|le)"
    r"|sl\b|ntg|nitro|ss\b|mae|normal|,?\s*\d+\s*%|%|peep|psv|ps\b|cpap|fio|x\s*\d|bottles?|sets?\b)",
    re.I,
)
_EVENT_AFTER_BAD = re.compile(
    r"[.%/:,]\d|[%/:]|\s*(?:%|mg|mm|cm|cc|ml|units?|bpm|mmhg|min|hrs?|x\b|yo|y/o|years?|yrs?|mcg|meq|mmol"
    r"|kg|lbs?|g\b|gm|s\b|sec|seconds|ct\b|fr\b|french|hr\b|beats|minutes|hours|days|weeks|months|times"
    r"|pt|pts|patients|am\b|pm\b|degrees)",
    re.IGNORECASE,
)
_VENT_NEAR = re.compile(
    r"vent|cpap|bipap|psv|\bps\b|peep|\bimv|simv|a/c|fio2|\bmask|flowby|trach|wean|\bsbt|\bprvc|\bcmv",
    re.I,
)
_VENT_BEFORE = re.compile(r"(?:cpap|bipap|bi-pap|psv|\bps|peep|simv|\bimv|a/c|\bvent|%)[^A-Za-z(]{0,14}$", re.I)
_VENT_AFTER = re.compile(r"\s*(?:,?\s*\d+\s*%|c\s+\d+\s*%|bi-?pap|cpap|ps\b|psv|peep|abg|fio2|\+\s*\d+\s*peep)", re.I)
_PAIN_NEAR = re.compile(r"pain|scale|discomfort|\bcp\b|angina", re.I)

# Patterns that cannot be anchored on a digit; each runs only when a substring gate allows it.
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"\b(?:(?:https?|ftp)://|www\d?\.)[^\s<>\"'\]\)]+"
    r"|\b(?:[A-Za-z0-9\-]+\.)+(?:com|org|net|edu|gov|mil|info|biz|io|us|uk|ca|health)\b(?:/[^\s<>\"'\]\)]*)?",
    re.IGNORECASE,
)
_IP6 = re.compile(
    r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])"
    r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![\w:])"
    r"|(?<![\w:])::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![\w:])"
)
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_TLD = re.compile(r"\.(?:com|org|net|edu|gov|io|us|uk|ca|info|biz|mil|health)\b")
_IP6_GATE = re.compile(r":[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:")
_PH_BRACKET = re.compile(r"\[\*\*(.{0,80}?)\*\*\]", re.S)
_PH_UNDER = re.compile(r"(?<!_)_{3,}(?!_)")
_AGE_WORDS = re.compile(
    r"\b(?:nonagenarian|centenarian|supercentenarian)s?\b|\bin\s+(?:his|her|their)\s+(?:early\s+|mid\s+|late\s+)?(?:nineties|90'?s)\b",
    re.IGNORECASE,
)

# Bracket placeholders from MIMIC-III: kind read from the bracket content.
_PLACEHOLDER_TYPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"name|initial|attending|doctor|md number|dictator|signature", re.I), "NAME"),
    (re.compile(r"fax", re.I), "FAX"),
    (re.compile(r"telephone|phone|pager", re.I), "PHONE"),
    (re.compile(r"e-?mail", re.I), "EMAIL"),
    (re.compile(r"url|web", re.I), "URL"),
    (re.compile(r"social security|ssn", re.I), "SSN"),
    (re.compile(r"medical record|mrn|unit number|record number", re.I), "MRN"),
    (re.compile(r"age over|age\b", re.I), "AGE"),
    (re.compile(r"hospital|company|college|university|clinic|ward|unit name", re.I), "INSTITUTION"),
    (re.compile(r"zip", re.I), "ZIP"),
    (re.compile(r"location|address|street|city|state|country|apartment", re.I), "LOCATION"),
    (re.compile(r"serial|device", re.I), "DEVICE"),
    (re.compile(r"licen[cs]e", re.I), "LICENSE"),
    (re.compile(r"account", re.I), "ACCOUNT"),
    (re.compile(r"date|month|year|day|holiday|\d{1,4}[\-/]\d{1,2}|^\s*\d{4}\s*$", re.I), "DATE"),
    (re.compile(r"number|identifier|job|clip|provider|\bid\b", re.I), "ID"),
]


def placeholder_kind(content: str) -> str:
    """Kind of a ``[** ... **]`` placeholder from its content; PLACEHOLDER when unreadable."""
    for rx, kind in _PLACEHOLDER_TYPES:
        if rx.search(content):
            return kind
    return "PLACEHOLDER"


def _may_classify(text: str, ce: int, n: int) -> bool:
    """Can a classifier pattern (phone, SSN, age, 'yy, street) start at a 1-3 digit number ending at ce?"""
    if ce >= n:
        return False
    c = text[ce]
    if c in "-./)'(":
        return True
    if c in " \t" and ce + 1 < n:
        d = text[ce + 1]
        return d.isdigit() or d in "yY-" or d.isupper()
    return c in "yY"


def _prev_char(text: str, s: int) -> str:
    """Nearest non-space character before ``s`` ('' at the start)."""
    i = s - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return text[i] if i >= 0 else ""


_VENT_WORDS = frozenset(
    "vent psv ps cpap bipap peep imv simv ac a/c settings setting mode mask cmv prvc aprv flowby "
    "weaned wean weaning".split()
)


def _valid_md(text: str, s: int, e: int, month: int, day: int, day_str: str = "") -> bool:
    """Is a bare ``m/d`` a date? Recall-first, but not a pain score, vent setting or fraction."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if s and text[s - 1] == "+":
        return False  # +2/4 pulses
    if _MD_BAD_AFTER.match(text, e):
        return False
    toks = _prev(text, s)
    w = ""
    for _, t in toks:
        if t not in ("is", "was", "at", "of", "the"):
            w = t
            break
    if w in _MD_BAD_WORDS:
        return False
    if day == 10 and month <= 10 and (_PAIN_NEAR.search(text, max(0, s - 40), s) or _PAIN_NEAR.search(text, e, e + 30)):
        return False
    if day <= 10 and toks and toks[0][1] in ("to", "on", "at", "of", "over"):
        if any(t in _VENT_WORDS for _, t in toks[1:]):
            return False  # "weaned to 5/5", "changed over to 10/5"
    if day_str.startswith("0"):
        return True  # fractions and vent settings never have a leading zero: 3/06
    if day <= 20 and month <= 20 and (_VENT_BEFORE.search(text, max(0, s - 30), s) or _VENT_AFTER.match(text, e)):
        return False  # ventilator settings: "CPAP .5% 5/5", "PEEP/PS 5/10", "10/5 BIPAP"
    if (
        month == day
        and day <= 10
        and (
            w in ("on", "to", "trial", "trialed", "ventilation", "perrla", "perrl", "pupils")
            and _VENT_NEAR.search(text, max(0, s - 80), s)
            or w in ("perrla", "perrl", "pupils", "trial", "ventilation")
        )
    ):
        return False  # "trialed on 5/5" (vent settings), "perrla, 2/2" (pupils)
    if day <= 4 and month < day and not (w in _MD_DATE_WORDS or w in _EVENT_SET or _prev_char(text, s) == ","):
        return False  # 1/2, 1/3, 2/3, 1/4, 3/4: fractions unless a date cue precedes
    return True


def _valid_year(text: str, s: int, e: int, year: int, toks: list[tuple[int, str]] | None = None) -> bool:
    """A bare 19xx/20xx number is a year unless it reads as a volume or an hhmm clock time."""
    if _UNITS_AFTER.match(text, e):
        return False
    pc = _prev_char(text, s)
    if pc and pc in "@~-":
        return False
    _, w = _last_word(text, s, toks=toks)
    if w in _TIME_WORDS:
        return False
    if year % 100 >= 60:
        return True  # 1960-1999 cannot be a clock time
    return w in _YEAR_WORDS or w in MONTH_WORDS or pc == "," or pc == "'" or w.endswith(_PROCEDURE_ENDINGS)


def _word_before(
    text: str, s: int, skip: frozenset[str] = frozenset(), toks: list[tuple[int, str]] | None = None
) -> str:
    return _last_word(text, s, skip, toks)[1]


#: A first line that is only a title and a bare number ("Admission note 4471"): the number is read
#: as the document's own (note, record or unit) number. Shift times there come as ranges
#: ("0700-1900") or after "@", which this does not take.
_TITLE_NUMBER = re.compile(
    r"\s*(?:[A-Za-z]+[ \t]+){0,4}(?:note|report|summary)[ \t:#]+(\d{3,10})[ \t]*(?:\n|\Z)", re.IGNORECASE
)


def find_patterns(text: str, has_month: bool = True, low: str | None = None) -> list[Span]:
    """All regex-layer spans of ``text`` (unsorted, may overlap).

    ``has_month`` lets the caller (who already tokenised the text) skip month-name look-ups.
    """
    out: list[Span] = []
    append = out.append
    if "[**" in text:
        for m in _PH_BRACKET.finditer(text):
            append(Span(m.start(), m.end(), placeholder_kind(m.group(1))))
    if "___" in text:
        for m in _PH_UNDER.finditer(text):
            append(Span(m.start(), m.end(), "PLACEHOLDER"))
    if "@" in text:
        # find the domain after each '@' (literal-led scan), then walk back over the local part
        for m in _EMAIL_DOMAIN.finditer(text):
            a = m.start()
            while a > 0 and (text[a - 1].isalnum() or text[a - 1] in "._%+-"):
                a -= 1
            if a < m.start():
                append(Span(a, m.end(), "EMAIL"))
    if low is None:
        low = text.lower()
    if "://" in low or "www" in low or ("." in low and _TLD.search(low)):
        for m in _URL.finditer(text):
            s, e = m.span()
            while e > s and text[e - 1] in ".,;:!?":
                e -= 1
            if "@" not in text[max(0, s - 1) : s + 1]:
                append(Span(s, e, "URL"))
    if "::" in text or (text.count(":") >= 7 and _IP6_GATE.search(text)):
        for m in _IP6.finditer(text):
            g = m.group()
            if any(c.isdigit() for c in g) and (g.count(":") >= 7 or "::" in g) and len(g) > 4:
                append(Span(m.start(), m.end(), "IP"))
    if "genarian" in text or (("in his" in low or "in her" in low or "in their" in low) and "9" in text):
        for m in _AGE_WORDS.finditer(text):
            append(Span(m.start(), m.end(), "AGE"))

    m = _TITLE_NUMBER.match(text)
    if m:
        append(Span(m.start(1), m.end(1), "ID"))

    rev = _Rev(text)
    if has_month:
        for m in _MONTH_ALONE.finditer(text):
            append(Span(m.start(1), m.end(1), "DATE"))
    done = -1  # end of the last accepted span: clusters inside it are skipped
    n = len(text)
    for cm in CLUSTER.finditer(text):
        s = cm.start()
        if s < done:
            continue
        prev = text[s - 1] if s else " "
        tok = cm.group()
        ce = cm.end()
        if tok.isdigit():
            if len(tok) == 1 and not has_month and prev != "#" and not _may_classify(text, ce, n):
                continue  # a lone digit: a dose, count or score (unless "+1 410 ...")
        elif _BORING.match(tok):
            continue  # "37.5", "10mg", "10:30", "2L": measurements and times
        if prev.isalpha() or prev == "#" or prev == "_":
            # letters or '#' glued before the digits: an identifier only after a context word
            ls = s
            while ls > 0 and (text[ls - 1].isalnum() or text[ls - 1] in "-_"):
                ls -= 1
            kind: str | None = None
            if prev == "#":
                mp = CLASSIFY.match(text, s)
                if mp is not None and mp.lastgroup in ("phone", "ssn"):
                    append(Span(s, mp.end(mp.lastgroup), "PHONE" if mp.lastgroup == "phone" else "SSN"))
                    done = mp.end(mp.lastgroup)
                    continue
            if _DECIMAL.match(tok):
                pass  # "T100.1": a measurement
            elif _GLUED_MY.match(tok) and prev.isalpha():
                kind = "DATE"  # "s/p fx4/97": month/year glued to an abbreviation
            elif prev == "#":
                # '#20G', '#8ETT' are sizes; an identifier after '#' is all digits (5+) or named
                kind = _ctx_kind(text, s - 1)
                if kind is None and tok.isdigit() and len(tok) >= 5:
                    kind = "ID"
            elif ce - ls >= 4:
                kind = _ctx_kind(text, ls - 1 if ls and text[ls - 1] == "#" else ls)
                if kind is None and ls and text[ls - 1] == "#" and ce - ls >= 3:
                    kind = "ID"  # '#rg17'
                if kind == "PHONE" and text[ls:s].lower() not in ("x", "ext"):
                    kind = None
            if kind is not None:
                append(Span(ls, ce, kind))
                done = ce
            continue
        if prev == "/" or (prev == "." and s >= 2 and text[s - 2].isdigit()):
            continue  # inside a decimal or a series (7.45/33/80, 40%/5/5)
        if len(tok) <= 3 and tok.isdigit() and not _may_classify(text, ce, n):
            m = None  # "88" followed by a space and a word: no multi-part pattern can start here
        else:
            m = CLASSIFY.match(text, s)
        g = m.lastgroup if m else None
        if m is not None and g is not None:
            e = m.end(g)
            ok = True
            kind = "DATE"
            if g == "ip4":
                ok = all(int(x) <= 255 for x in m.group(g).split("."))
                kind = "IP"
            elif g == "ssn":
                kind = "SSN"
            elif g == "phone_paren":
                kind = "PHONE"
                ok = prev == "("
            elif g in ("phone", "phone7"):
                kind = "PHONE"
                if s and prev == "(":
                    s -= 1
                ctx = _ctx_kind(text, s)
                if ctx is not None and ctx != "PHONE":
                    kind = ctx
                if g == "phone7" and (ctx is None or _UNITS_AFTER.match(text, e)):
                    ok = False  # 7 digits "954-1183" is a range unless a phone word precedes
            elif g == "mdy2":
                kind = "DATE"
            elif g == "mdmd":
                mid = s + m.group(g).index("/", m.group(g).index("/") + 1)
                append(Span(s, mid, "DATE"))
                s = mid + 1
            elif g == "dmy":
                a, b = re.split(r"[\-/.]", m.group(g))[:2]
                x, y = int(a), int(b)
                ok = (1 <= x <= 12 and 1 <= y <= 31) or (1 <= y <= 12 and 1 <= x <= 31)
            elif g == "md":
                a, b = m.group(g).split("/")
                month, day = int(a), int(b)
                if 1 <= month <= 12 and 32 <= day <= 99:  # month/yy ("8/87")
                    ok = _word_before(text, s) not in _MD_BAD_WORDS and not _MD_BAD_AFTER.match(text, e)
                else:
                    ok = _valid_md(text, s, e, month, day, b)
            elif g == "age":
                kind = "AGE"
            elif g == "apy":
                e = s + 2
            elif g == "street":
                kind = "LOCATION"
                ok = not _NOT_STREET.match(m.group(g))
            if ok:
                append(Span(s, e, kind))
                done = e
                if e + 1 < ce and text[e] == "-" and text[e + 1].isdigit():
                    m2 = CLASSIFY.match(text, e + 1)  # a range "6/30-7/2": the second date
                    if (
                        m2 is not None
                        and m2.lastgroup in ("md", "dmy", "ymd")
                        and (
                            m2.lastgroup != "md"
                            or _valid_md(text, e + 1, m2.end(), *map(int, m2.group().split("/")[:2]))
                        )
                    ):
                        append(Span(e + 1, m2.end(), "DATE"))
                        done = m2.end()
                continue
        # --- unclassified cluster: decide from its context. Cheap gates first: most clusters are
        # measurements ("88", "10mg", "7.45", "120/80") and must cost almost nothing.
        digits = tok.rstrip(".:-/")
        ce = s + len(digits)
        nd = len(digits)
        if not digits.isdigit():
            m_ord = _ORDINAL.match(digits)
            if m_ord:
                toks = _prev(text, s, rev)
                oe = s + m_ord.end()
                sp = _day_month(text, s, oe, toks) if has_month else None
                if sp is not None or (
                    _word_before(text, s, _MONTH_SKIP, toks) in _ORDINAL_WORDS and _ORDINAL_END.match(text, oe)
                ):
                    append(Span(sp[0] if sp else s, sp[1] if sp else oe, "DATE"))
                    done = sp[1] if sp else oe
            elif _ZIP4.match(digits) and _zip_before(text, s, _prev(text, s, rev)):
                append(Span(s, ce, "ZIP"))
                done = ce
            elif _ID_LIKE.match(digits) and not _UNIT_WORD.match(digits) and _word1(rev, s) in _CTX_GATE_OR_NONE:
                kind = _ctx_kind(text, s, _prev(text, s, rev))
                if kind is not None and kind != "PHONE":
                    append(Span(s, ce, kind))
                    done = ce
            continue
        if nd >= 4 and not (nd == 4 and ce < n and text[ce] in " \t" and _word1(rev, s) in ("address", "addr", "at")):
            ls = s
            if prev == "-" and s >= 2 and text[s - 2].isalpha():  # "FP-47656776", "ACCT-072538"
                ls = s - 1
                while ls > 0 and text[ls - 1].isalpha() and s - ls < 7:
                    ls -= 1
                if ls > 0 and (text[ls - 1].isalnum() or text[ls - 1] == "-"):
                    ls = s
            at = ls if ls < s else s
            w1 = _word1(rev, at)
            # the full look-behind only when the nearest word can matter (most 4-digit numbers
            # are clock times after "at"/"@" or counts)
            toks = _prev(text, at, rev) if (not w1 or w1 in _NEED_PREV) else [(at - len(w1) - 1, w1)]
            ctx_first = _ctx_kind(text, ls, toks) if w1 in _CTX_GATE else None
            # an identifier cue ("claim no. 2066 3231") outranks a year reading of the first group
            if ctx_first is None and nd == 4 and digits[:2] in ("19", "20") and _valid_year(
                    text, s, ce, int(digits), toks):
                ms = _month_start(text, s, toks) if has_month else -1
                append(Span(ms if ms >= 0 else s, ce, "DATE"))
                done = ce
                continue
            if nd == 5 and _zip_before(text, s, toks):
                e = ce + 5 if re.match(r"-\d{4}\b", text[ce : ce + 6]) else ce
                append(Span(s, e, "ZIP"))
                done = e
                continue
            kind = ctx_first if w1 in _CTX_GATE else _ctx_kind(text, ls, toks)
            if kind is not None:
                e = ce
                mm = _DIGIT_GROUPS.match(text, e)  # digits may go on in groups ("2269 0095")
                if mm:
                    e = mm.end()
                append(Span(ls, e, kind))
                done = e
                continue
            if nd >= 6 and not _UNITS_AFTER.match(text, ce):
                # a bare 6+ digit number is never a measurement: a compact date or an identifier
                append(Span(ls, ce, "DATE" if _compact_date(digits) and ls == s else "ID"))
                done = ce
                continue
            if toks and toks[0][1] in _POBOX_WORDS:
                append(Span(s, ce, "LOCATION"))
                done = ce
            continue
        val = int(digits)
        if ce < n and text[ce] in " \t" and _word1(rev, s) in ("address", "addr", "at"):
            pw = [w for _, w in _prev(text, s, rev)]
            if pw[0] != "at" or (len(pw) > 1 and pw[1] in _ADDRESS_WORDS):
                ma = _STREET_CTX.match(text, s)
                if ma:
                    append(Span(s, ma.end(), "LOCATION"))
                    done = ma.end()
                    continue
        if nd == 2 and prev == "'" and (s < 2 or not text[s - 2].isalnum()):
            if not (ce < n and (text[ce].isalnum() or text[ce] == "'")):
                append(Span(s - 1, ce, "DATE"))  # '92
                done = ce
                continue
        need_age = 90 <= val <= 129
        need_day = has_month and val <= 31
        if nd == 2 and _EVENT_NEXT.match(text, ce) and _CLAUSE_START.search(text, max(0, s - 4), s):
            append(Span(s, ce, "DATE"))  # "PMH: ... 09 PTCA to LCX. 13 stent to LCX"
            done = ce
            continue
        w1 = _word1(rev, s)
        if not (need_age or need_day or w1 in _EVENT_GATE or w1 in _POBOX_WORDS or w1.endswith(_PROCEDURE_ENDINGS)):
            continue
        toks = _prev(text, s, rev)
        if need_age and _word_before(text, s, _AGE_SKIP, toks) in _AGE_WORDS_SET:
            append(Span(s, ce, "AGE"))
            done = ce
            continue
        if nd == 2 and _is_event(_word_before(text, s, _EVENT_SKIP, toks)):
            if not _EVENT_AFTER_BAD.match(text, ce) and not (ce < n and text[ce].isalnum()):
                append(Span(s, ce, "DATE"))
                done = ce
                continue
        if need_day:
            sp = _day_month(text, s, ce, toks)
            if sp is not None:
                append(Span(sp[0], sp[1], "DATE"))
                done = sp[1]
                continue
        if w1 in _POBOX_WORDS:
            append(Span(s, ce, "LOCATION"))
            done = ce
    return out


_MONTH_ALONE = re.compile(
    r"\b(?:in|since|during|until|till|early|late|mid|last|next|this|of|by|from)[\s\-]+"
    r"(january|february|april|june|july|august|september|october|november|december|jan|feb|apr|jun"
    r"|jul|aug|sept?|oct|nov)\b\.?|\b(?:in|since|during|early|late|mid|last|next)\s+(march|may)\b(?!\s+(?:be|have|need|not))",
    re.I,
)
_ORDINAL_END = re.compile(r"\s*(?:$|[.,;:)\n]|(?:of|at|and|in|when|until|to|with)\b|\d)", re.I)
_ORDINAL = re.compile(r"(?:[12]?\d|3[01])(?:st|nd|rd|th)$", re.I)
_CLAUSE_START = re.compile(r"(?:^|[.;:]\s+|\n\s*)$")
_EVENT_NEXT = re.compile(r"\s+(?:" + _EVENTS + r")\b", re.I)
_ADDRESS_WORDS = frozenset("resides lives living live reside".split())
#: nearest words after which a 4+ digit number needs the full look-behind
_NEED_PREV = (
    _CTX_GATE
    | _STATE_NAME_SET
    | frozenset(c.lower() for c in _STATE_CODE_SET)
    | {"zip", "code", "zipcode"}
    | MONTH_WORDS
    | _POBOX_WORDS
    | _MONTH_SKIP
)
_ZIP4 = re.compile(r"\d{5}-\d{4}$")
_BORING = re.compile(
    r"(?:\d+\.\d+|\d{1,2}:\d\d(?::\d\d)?(?:am|pm)?|\d{1,4}(?:cc|ml|mls|mg|mcg|l|g|gm|kg|u|units|hr|hrs|h|min|mins"
    r"|meq|mmol|lb|lbs|cm|mm|fr|bpm|kcal|pm|am|x))[.:]?$",
    re.I,
)
_ID_LIKE = re.compile(r"(?:(?=(?:[^\d]*\d){4})|(?=[A-Za-z0-9\-]{8,}$))[A-Za-z0-9\-]+$")
_UNIT_WORD = re.compile(
    r"\d+(?:cc|ml|mls|mg|mcg|l|g|gm|kg|u|units|hr|hrs|h|min|mins|am|pm|x\d*|meq|mmol|lb|lbs|cm|mm|f|fr|bpm|kcal)$",
    re.I,
)
_WORD1 = re.compile(r"[^A-Za-z0-9\n#]{0,12}((?:[A-Za-z]|[/'](?=[A-Za-z]))+)")


def _is_event(w: str) -> bool:
    """A past event after which a bare two-digit number is a year ("CABG 04", "colonoscopy 09")."""
    return w in _EVENT_SET or w.endswith(_PROCEDURE_ENDINGS)


def _word1(rev: "_Rev", s: int) -> str:
    """Nearest word before ``s`` (lower case), via one anchored match on the reversed text."""
    m = _WORD1.match(rev.r, rev.n - s)
    return m.group(1)[::-1].lower() if m else ""


_GLUED_MY = re.compile(r"(?:0?[1-9]|1[0-2])/(?:3[2-9]|[4-9]\d|(?:19|20)\d\d)$")
_DECIMAL = re.compile(r"[\d\-/]*\d\.\d")
_DIGIT_GROUPS = re.compile(r"(?:[ \-]\d{2,})+")
_NOT_STREET = re.compile(r"\d+\s+(?:mg|mcg|units?|cc|ml|tabs?|x|times|hrs?|days?|puffs?|am|pm)\b", re.I)
_AGE_WORDS_SET = frozenset("age aged ages".split())
_AGE_SKIP = frozenset("of is was".split())


def _compact_date(digits: str) -> bool:
    """mmddyy, mmddyyyy or yyyymmdd with a valid calendar month and day."""
    if len(digits) == 6:
        m, d = int(digits[:2]), int(digits[2:4])
    elif len(digits) == 8 and digits[:2] in ("19", "20"):
        m, d = int(digits[4:6]), int(digits[6:])
    elif len(digits) == 8:
        m, d = int(digits[:2]), int(digits[2:4])
    else:
        return False
    return 1 <= m <= 12 and 1 <= d <= 31


def _zip_before(text: str, s: int, toks: list[tuple[int, str]] | None = None) -> bool:
    """A 5-digit number right after a state name/code or 'zip' is a ZIP code."""
    pos, w = _last_word(text, s, toks=toks)
    if pos < 0:
        return False
    if w in ("zip", "code", "zipcode") or w in _STATE_NAME_SET:
        return True
    return text[pos : pos + len(w)] in _STATE_CODE_SET


def _month_start(text: str, s: int, toks: list[tuple[int, str]] | None = None) -> int:
    """Offset of a month word just before ``s`` ("March of 2022", "Nov. 2016"), else -1."""
    pos, w = _last_word(text, s, _MONTH_SKIP, toks)
    return pos if w in MONTH_WORDS else -1


def _day_month(text: str, s: int, e: int, toks: list[tuple[int, str]] | None = None) -> tuple[int, int] | None:
    """Day number next to a month name: "May 16, 2015", "16 May", "5th of January"."""
    pos, w = _last_word(text, s, _MONTH_SKIP, toks)
    if w in MONTH_WORDS:
        if w[:3] in ("mar", "dec", "may", "jan") and not _month_word_ok(text, pos, e):
            return None
        if _UNITS_AFTER.match(text, e) and not re.match(r"\s*[,/]\s*(?:19|20)\d\d", text[e : e + 8]):
            return None
        y = _YEAR_AFTER.match(text, e)
        return pos, (y.end() if y else e)
    a = _MONTH_AFTER.match(text, e)
    if a:
        y = _YEAR_AFTER.match(text, a.end())
        return s, (y.end() if y else a.end())
    return None


_MONTH_CUE_WORDS = frozenset("on since from until by of the date dated in".split())


def _month_word_ok(text: str, ms: int, e: int) -> bool:
    """ "dec 5" is usually "decreased 5": 'Dec'/'Mar'/'May'/'Jan' need a capital, year or date cue."""
    if _YEAR_AFTER.match(text, e):
        return True
    if text[ms].isupper() and not text[ms + 1 : ms + 3].isupper():
        return True
    return _word_before(text, ms) in _MONTH_CUE_WORDS or _prev_char(text, ms) == ","
