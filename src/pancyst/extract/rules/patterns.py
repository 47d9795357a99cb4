"""Regular expressions for the rules backend, all applied to normalized (lower-cased, slip-corrected) text.

Kept apart from the control flow of the stages so the vocabulary can be read and extended
in one place.
"""

from __future__ import annotations

import re

_NAMED_GROUP_RE = re.compile(r"\(\?P<(\w+)>")


def _skip_atom(pattern: str, i: int) -> int | None:
    """Index just past an escape or a character class starting at ``i`` (None for anything else)."""
    c = pattern[i]
    if c == "\\":
        return i + 2
    if c == "[":
        return pattern.index("]", i + 2 if pattern[i + 1] == "]" else i + 1) + 1
    return None


def _group_body_end(pattern: str, i: int) -> int:
    """Index just past the ``)`` closing the group whose body starts at ``i``."""
    depth = 1
    while depth:
        skipped = _skip_atom(pattern, i)
        if skipped is not None:
            i = skipped
            continue
        depth += {"(": 1, ")": -1}.get(pattern[i], 0)
        i += 1
    return i


def _split_top(body: str) -> list[str]:
    """The top-level alternatives of ``body`` (a ``|`` inside a group or a class does not split)."""
    out: list[str] = []
    start = i = 0
    while i < len(body):
        skipped = _skip_atom(body, i)
        if skipped is not None:
            i = skipped
            continue
        if body[i] == "(":
            i = _group_body_end(body, i + 1)
            continue
        if body[i] == "|":
            out.append(body[start:i])
            start = i + 1
        i += 1
    out.append(body[start:])
    return out


_LEADING_GROUP_RE = re.compile(r"\(\?:([^()]*)\)(\??)")


def _by_first_letter(alt: str) -> list[str]:
    """``alt`` as alternatives that each open with a plain letter, in the order ``re`` tries them.

    ``(?:bd|sb)-x`` -> ``bd-x``, ``sb-x``; ``(?:micro|macro)?cystic`` -> ``microcystic``,
    ``macrocystic``, ``cystic``.
    """
    if alt[:1].isalnum() and alt[1:2] not in ("?", "*", "+", "{"):
        return [alt]
    lead = _LEADING_GROUP_RE.match(alt)
    if lead is None:
        raise ValueError(f"cannot dispatch on the first letter of {alt!r}: open it with a letter")
    rest = alt[lead.end() :]
    heads = _split_top(lead.group(1)) + ([""] if lead.group(2) else [])
    return [x for head in heads for x in _by_first_letter(head + rest)]


def _dispatched(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A ``prefix(?P<a>...)|(?P<b>...)suffix`` pattern regrouped by first letter, and its group names.

    ``re`` tries every alternative of an alternation at every word start; grouped under their
    first letter (``p(?:ancrea\\w*|anc|...)|l(?:iver|...)``), a word start tries one group. Within a
    letter the alternatives keep their order, and those of other letters cannot match there, so
    the matches are the same. A group name can appear only once in a pattern, so each
    alternative ends in an empty group and ``names[match.lastindex]`` is its named group.
    """
    groups = list(_NAMED_GROUP_RE.finditer(pattern))
    prefix = pattern[: groups[0].start()]
    buckets: dict[str, list[tuple[str, str]]] = {}
    pos = groups[0].start()
    for m in groups:
        if pattern[pos : m.start()] not in ("", "|"):
            raise ValueError("only alternatives of named groups can be dispatched")
        end = _group_body_end(pattern, m.end())
        for alt in _split_top(pattern[m.end() : end - 1]):
            for flat in _by_first_letter(alt):
                buckets.setdefault(flat[0], []).append((flat[1:], m.group(1)))
        pos = end
    suffix = pattern[pos:]
    names: list[str] = [""]
    branches: list[str] = []
    for letter, alts in buckets.items():
        branches.append(letter + "(?:" + "|".join(rest + "()" for rest, _ in alts) + ")")
        names.extend(name for _, name in alts)
    compiled = re.compile(prefix + "|".join(branches) + suffix)
    if compiled.groups != len(names) - 1:
        raise ValueError("a dispatched pattern may hold no capturing group but its named groups")
    return compiled, tuple(names)


_LOOKBEHIND_RE = re.compile(r"\(\?<[!=][^()]*\)")


def _led(pattern: str) -> str:
    """``(?:\\bnow|\\btoday)...`` -> ``(?=[nt])(?:\\bnow|\\btoday)...``: the same matches, tried less.

    A pattern whose alternatives each open with a word boundary gives ``re`` no first letter to
    skip by, so every position tries every alternative; one look at the letter first rules out
    most positions.
    """
    if not pattern.startswith("(?:"):
        raise ValueError("a led pattern opens with its alternation")
    body = pattern[3 : _group_body_end(pattern, 3) - 1]
    letters: set[str] = set()
    for alt in _split_top(body):
        alt = _LOOKBEHIND_RE.sub("", alt)
        if not alt.startswith("\\b"):
            raise ValueError(f"cannot lead {alt!r}: open it with a word boundary and a letter")
        letters.update(flat[0] for flat in _by_first_letter(alt[2:]))
    return "(?=[" + "".join(sorted(letters)) + "])" + pattern


# --- lesion anchors -------------------------------------------------------------------------
ANCHOR_RE, ANCHOR_GROUPS = _dispatched(
    r"(?=[sbmictplfo])\b(?:"
    r"(?P<sb>(?:side|branch)[\s-]*(?:branch|duct)[\s-]*(?:type\s+)?(?:ipmns?|intraductal\s+papillary\s+mucinous\s+"
    r"(?:neoplasms?|tumou?rs?))|branch[\s-]*type\s+ipmns?|(?:bd|sb)[\s-]?ipmns?)"
    r"|(?P<md>main[\s-]*duct[\s-]*(?:type\s+)?(?:ipmns?|intraductal\s+papillary\s+mucinous\s+(?:neoplasms?|tumou?rs?))"
    r"|md[\s-]?ipmns?)"
    r"|(?P<mixed>(?:mixed|combined)[\s-]*(?:type\s+)?(?:ipmns?|intraductal\s+papillary\s+mucinous\s+(?:neoplasms?|tumou?rs?)))"
    r"|(?P<ipmn>ipmns?|intraductal\s+papillary\s+mucinous\s+(?:neoplasms?|tumou?rs?|lesions?))"
    r"|(?P<serous>serous\s+(?:cyst(?:ic)?\s*)?(?:adenomas?|neoplasms?|tumou?rs?|lesions?)|microcystic\s+(?:serous\s+)?"
    r"(?:adenomas?|cystadenomas?|neoplasms?)|scas?\b)"
    r"|(?P<mucinous>mucinous\s+cyst(?:ic)?\s*(?:adenomas?|neoplasms?|tumou?rs?|lesions?)|mcns?\b)"
    r"|(?P<pseudo>pseudo[\s-]?cysts?)"
    r"|(?P<cyst>(?:micro|macro|oligo|multi)?cystic\s+(?:pancreatic\s+)?(?:lesions?|foci|focus|neoplasms?|structures?|masses|mass|tumou?rs?|areas?"
    r"|nodules?|spaces?|formations?|cavity|cavities)"
    r"|(?:t2|t-2)[\s-]*(?:weighted\s+)?(?:hyper-?intense|bright)\s+(?:cystic\s+)?(?:foci|focus|lesions?|structures?)"
    r"|cysts?)"
    r"|(?P<lesion>lesions?\s*#?\s*\d+\b|(?:lesions?|foci|focus|formations?)(?!\s+of\b))"
    r")",
)
# Words that make a "lesion" a cystic one.
CYSTIC_DESCRIPTOR_RE = re.compile(
    r"\b(?:(?:micro|macro|oligo|multi)?cystic|cyst|fluid|water|t2[\s-]*(?:weighted\s+)?(?:hyper-?intense|bright)|simple|unilocular|septat\w*"
    r"|multilocul\w*|ipmn)"
)
ENUMERATED_RE = re.compile(r"lesions?\s*#?\s*\d+")
PLURAL_RE = re.compile(
    r"\b(?:cysts|ipmns|lesions|foci|neoplasms|pseudocysts|structures|masses|adenomas|tumou?rs|areas|spaces|nodules)\b"
)
COUNT_WORDS: dict[str, int] = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "several": 3,
    "multiple": 3,
    "numerous": 5,
    "innumerable": 10,
    "countless": 10,
    "scattered": 3,
    "few": 3,
    "a few": 3,
    "multifocal": 3,
    "bilateral": 2,
    "additional": 2,
    "other": 2,
    "various": 3,
    "many": 5,
    "2": 2,
    "3": 3,
    "4": 4,
    "5": 5,
}
COUNT_RE = re.compile(
    r"\b(?:two|three|four|five|six|several|multiple|numerous|innumerable|countless|scattered|a\s+few|few|multifocal"
    r"|various|many|(?<![.,\d])[2-5](?![.,]\d|\s*(?:mm|cm|millim|centim|x\b|×)))\b"
)
NEW_LESION_RE = re.compile(r"\b(?:another|second|additional|separate|third|other|different)\b")
DEFINITE_RE = re.compile(
    r"\b(?:the|this|that|these|those|said|aforementioned|dominant|index|known)\s+(?:\w+\s+){0,4}$"
)

# --- organs ----------------------------------------------------------------------------------
ORGAN_RE, ORGAN_GROUPS = _dispatched(
    r"(?=[a-z])\b(?:"
    r"(?P<pancreas>pancrea\w*|panc|peripancreatic|ipmns?|(?:bd|sb|md)[\s-]?ipmns?|wirsung|pancreatic)"
    r"|(?P<liver>liver|hepatic|hepato\w*|segments?\s+(?:[1-8]|i{1,3}|iv[ab]?|v|vi{1,3})\b|caudate|couinaud|subcapsular)"
    r"|(?P<kidney>kidneys?|renal|bosniak|parapelvic|peripelvic|cortical|interpolar|upper\s+pole|lower\s+pole|nephr\w*)"
    r"|(?P<spleen>spleen|splenic)"
    r"|(?P<adrenal>adrenals?)"
    r"|(?P<pelvis>adnex\w*|ovar\w*|paraovarian|uter\w*|nabothian|endometri\w*|prostat\w*|seminal|bartholin"
    r"|pelvic|pelvis|cervical|cervix|epididym\w*|scrot\w*|testi\w*|inguinal)"
    r"|(?P<biliary>choledoch\w*|gallbladder|biliary|bile|cbd|cholecyst\w*|hepaticojejun\w*)"
    r"|(?P<bone>tarlov|perineural|vertebra\w*|sacral|sacrum|osseous|bone|bony|spinal|iliac\s+bone|femoral|synovial"
    r"|baker)"
    r"|(?P<bowel>duoden\w*|duplication|mesenter\w*|omental|omentum|bowel|colon\w*|gastric|stomach|appendi\w*"
    r"|peritoneal|retroperitoneal|urachal|jejun\w*|ile\w+)"
    r"|(?P<lung>lungs?|pulmonary|pleura\w*|pericardi\w*|breast|thyroid|mediastin\w*)"
    r"|(?P<skin>subcutaneous|sebaceous|epidermoid|dermoid|skin)"
    r"|(?P<weak>uncinate|head|neck|body|tail)"
    r")"
)

# --- locations ---------------------------------------------------------------------------------
LOCATION_RE = re.compile(
    r"(?=[hnbtuj])\b(?:"
    r"(?P<uncinate>(?:head|uncinate)(?:\s*(?:/|-|and|or)\s*|\s+and\s+(?:the\s+)?)(?:uncinate|head)(?:\s+process)?"
    r"|uncinate(?:\s+process)?)"
    r"|(?P<neckj>head[\s/-]+neck(?:\s+junction)?|neck[\s/-]+head|junction\s+of\s+(?:the\s+)?(?:pancreatic\s+)?head\s+and"
    r"\s+(?:the\s+)?neck|head\s*-\s*neck|neck[\s/-]+body(?:\s+junction)?|junction\s+of\s+(?:the\s+)?neck\s+and\s+(?:the\s+)?body)"
    r"|(?P<bodyj>body[\s/-]+tail(?:\s+junction)?|tail[\s/-]+body|junction\s+of\s+(?:the\s+)?(?:pancreatic\s+)?body\s+and"
    r"\s+(?:the\s+)?tail|body\s*-\s*tail)"
    r"|(?P<head>head)"
    r"|(?P<neck>neck)"
    r"|(?P<body>body)"
    r"|(?P<tail>tail)"
    r")\b"
)
LOCATION_VETO_BEFORE = re.compile(
    r"(?:vertebral|gallbladder|femoral|humeral|uterine|epididymal|caudate|foreign|ciliary|bladder|penile|pancreatic\s+duct"
    r"|narrow|wide|short|long|thin|broad|via\s+a)\s+$"
)
LOCATION_VETO_AFTER = re.compile(
    r"^\s+(?:of\s+the\s+(?:gallbladder|epididymis|femur|caudate|uterus)|wall|ct|mri|cta)\b"
)

# --- lesion features ------------------------------------------------------------------------------
NODULE_RE = re.compile(
    r"(?=[mnspev])\b(?:(?:mural\s+)?nodules?|nodularity|nodular\s+(?:component|focus|soft\s+tissue)|solid\s+(?:enhancing\s+)?"
    r"(?:components?|comp\b\.?|portions?|elements?|areas?|foci|focus)|papillary\s+projections?|soft[\s-]+tissue\s+components?"
    r"|enhancing\s+(?:solid\s+)?components?|solid\s+nodules?|(?:endocystic\s+|intracystic\s+|mural\s+)?vegetations?)\b"
)
NONENHANCING_RE = re.compile(
    r"\b(?:non[\s-]?enhancing|nonenhancement|unenhancing|without\s+(?:\w+\s+){0,2}enhancement|no\s+(?:\w+\s+){0,2}"
    r"enhancement|does\s+not\s+(?:demonstrate\s+|show\s+)?enhance|do\s+not\s+enhance|not\s+enhance|non[\s-]?enhancement"
    r"|not\s+(?:\w+\s+)?enhancing|lacks?\s+enhancement)\b"
)
ENH_UNKNOWN_RE = re.compile(
    r"\b(?:enhancement\s+(?:cannot|can\s+not|could\s+not|was\s+not|is\s+not|not)\s+(?:be\s+)?(?:assessed|evaluated|"
    r"determined|characterized|established)|(?:cannot|can\s+not|could\s+not|unable\s+to)\s+(?:be\s+)?(?:assess|evaluate|"
    r"determine|characterize)\w*\s+(?:for\s+)?(?:\w+\s+){0,2}enhancement|indeterminate\s+enhancement|enhancement\s+is\s+"
    r"indeterminate|non[\s-]?contrast|without\s+(?:iv\s+|intravenous\s+)?contrast|not\s+assessable|unenhanced\s+(?:exam|study)"
    r"|enhancement\s+(?:is\s+)?(?:uncertain|equivocal|unknown|not\s+assessable))"
)
ENHANCING_RE = re.compile(r"\b(?:enhanc\w*)\b")

WALL_ABSENT_RE = re.compile(
    r"(?=[tiswn])\b(?:thin[\s-]*walled|thin\s+(?:and\s+)?(?:smooth\s+|non[\s-]?enhancing\s+|imperceptible\s+|regular\s+)*walls?|"
    r"imperceptible\s+walls?|smooth\s+thin\s+walls?|walls?[\s:]+(?:is\s+|are\s+)?(?:thin|imperceptible|smooth)|"
    r"no\s+(?:\w+\s+){0,3}wall\s+(?:thickening|enhancement))"
)
WALL_PRESENT_RE = re.compile(
    r"(?=[twiem])\b(?:thick(?:ened|ening)?[\s-]*(?:(?:and|or|/)[\s-]*)?(?:enhancing\s+|irregular\s+|nodular\s+)?walls?|"
    r"thick[\s-]*walled|walls?[\s:]+(?:\w+\s+){0,2}(?:thickening|thickened|thick|enhancement|enhances|enhancing)|"
    r"(?:irregular|nodular)\s+wall\s+thickening|thickening\s+of\s+(?:the\s+)?(?:cyst\s+|lesion\s+)?walls?|"
    r"enhancing\s+(?:and\s+thickened\s+|thick\s+)?(?:cyst\s+)?walls?|mural\s+thickening|mural\s+enhancement|"
    r"wall\s+thickening)"
)
# Structured templates: "Wall thickening: imperceptible", "Wall: not thickened".
WALL_FIELD_RE = re.compile(
    r"(?=[wc])\b(?:(?:cyst\s+)?wall(?:\s+thickening)?|wall\s+(?:thickness|enhancement))(?=\s*:)"
)
FIELD_ANSWER_RE = re.compile(r"\s*:\s*([^\n.;]{1,40})")
ABSENT_ANSWER_RE = re.compile(
    r"^\s*(?:no\b|none|absent|negative|not\s|without|thin|imperceptible|smooth|normal|unremarkable|n/?a\b)"
)
WALL_PRESENT_ANSWER_RE = re.compile(r"^\s*(?:yes|present|thick\w*|enhanc\w*|irregular|nodular|mild|focal)")
SEPTA_ABSENT_RE = re.compile(
    r"(?=[unsw])\b(?:uni-?locular|uni-?loculated|non-?septated|unseptated|non-?loculated|simple\s+appearing|without\s+internal\s+"
    r"(?:complexity|septa\w*))\b"
)
SEPTA_PRESENT_RE = re.compile(
    r"(?=[smlh])\b(?:septa(?:tions?|ted|e|l|tion)?|septum|multi-?locul(?:ated|ar)|multi-?septated|loculations?|multicystic|"
    r"multiloculated|honeycomb)\b"
)
COMM_RE = re.compile(
    r"(?=[cn])\b(?:communicat\w+|connection\s+(?:with|to)\s+(?:the\s+)?(?:main\s+)?(?:pancreatic\s+)?duct|connects?\s+(?:with|to)"
    r"\s+(?:the\s+)?(?:main\s+)?(?:pancreatic\s+)?duct|(?:contiguous|continuous)\s+with\s+(?:the\s+)?(?:dilated\s+)?(?:main\s+)?(?:pancreatic\s+)?duct)"
)
# "separate from the main pancreatic duct": no communication, said without the word
SEPARATE_FROM_DUCT_RE = re.compile(
    r"\b(?:separate|distinct|apart)\s+from\s+(?:the\s+)?(?:main\s+)?(?:pancreatic\s+)?(?:duct|mpd|wirsung)\b"
)
CALC_RE = re.compile(r"(?=c)\b(?:calcif\w*|calcium)\b")
CALC_PERIPHERAL_RE = re.compile(r"\b(?:peripheral|rim|eggshell|egg-shell|curvilinear|mural)\b")
CALC_CENTRAL_RE = re.compile(r"\b(?:central|centrally|stellate|scar)\b")
SOLID_VETO_RE = re.compile(
    r"(?=[sacmnflwhbv])\b(?:solid\s+and\s+cystic|solid\s+mass|adenocarcinoma|carcinoma|malignan\w*|necrotic|necrosis|neuroendocrine|"
    r"cystic\s+components?\s+of|cystic\s+degeneration|metasta\w*|lymphoma|sarcoma|fluid\s+collection|walled[\s-]off|"
    r"abscess|hematoma|seroma|biloma|lymphocele|varix|aneurysm)\b"
)
# Every SOLID_VETO_RE match holds one of these (a substring test is cheaper than the search).
SOLID_VETO_WORDS = (
    "solid", "carcinoma", "malignan", "necro", "neuroendocrine", "component", "degeneration", "metasta",
    "lymph", "sarcoma", "fluid", "walled", "abscess", "hematoma", "seroma", "biloma", "varix", "aneurysm",
)  # fmt: skip

# --- ducts ----------------------------------------------------------------------------------------
DUCT_RE, DUCT_GROUPS = _dispatched(
    r"(?=[sbcmdehiwp])\b(?:"
    r"(?P<sb>side[\s-]*branch(?:es)?(?:\s+ducts?)?|branch[\s-]*ducts?|secondary\s+(?:pancreatic\s+)?ducts?|side\s+branches)"
    r"|(?P<cbd>common\s+(?:bile\s+|hepatic\s+)?ducts?|cbd|chd|bile\s+ducts?|biliary(?:\s+ducts?|\s+tree)?|hepatic\s+ducts?"
    r"|cystic\s+ducts?|intrahepatic(?:\s+ducts?)?|extrahepatic(?:\s+ducts?)?|choledochus)"
    r"|(?P<mpd>(?:main\s+)?pancreatic(?:\s*(?:/|or|and)\s*(?:biliary|bile))?\s+duct(?:al|s)?|(?:biliary|bile)\s*(?:/|or|and)"
    r"\s*pancreatic\s+duct(?:al|s)?|main\s+(?:pancreatic\s+)?duct(?:al)?|mpd|duct\s+of\s+wirsung|wirsung\w*|pancreatic\s+"
    r"ductal|pd\b)"
    r"|(?P<bare>ducts?|ductal)"
    r")"
)
DILATED_RE = re.compile(
    r"(?=[dpeu])(?<!non-)(?<!non\s)\b(?:dilat\w*|ectatic|ectasia|enlarged|distended|prominent|upstream\s+dilat\w*)\b"
)
DILATED_WORDS = ("dilat", "ectat", "ectasia", "enlarged", "distended", "prominent")  # one is in every match
NORMAL_DUCT_RE = re.compile(
    r"(?=[nuwiar])\b(?:non[\s-]?dilated|undilated|normal(?:ly)?\s+(?:in\s+)?(?:caliber|calibre|size|diameter)|normal[\s-]+caliber|"
    r"normal[\s-]+calibre|within\s+normal\s+limits|is\s+normal|are\s+normal|unremarkable|normal|nl|wnl|"
    r"regular\s+(?:calibre|caliber|size|diameter)|regular)\b"
)
# "... 2 mm in the head, 3.5 mm in the tail": between two sizes of one duct, only a segment name.
DUCT_SEGMENT_LIST_RE = re.compile(
    r"[\s,]*(?:(?:in|at|of|within|through)\s+(?:the\s+)?)?(?:pancreatic\s+)?(?:head|neck|body|tail|uncinate)"
    r"(?:\s+process)?(?:\s+(?:region|segment))?[\s,;]*(?:and|to|versus|vs\.?)?[\s,]*(?:(?:up\s+to|measuring|"
    r"approximately|about)\s+)?"
)
MEAS_DUCT_GAP_RE = re.compile(
    r"^(?:[\s,:(]|is|are|was|mildly|moderately|markedly|severely|mild|dilated|enlarged|prominent|measur\w*|caliber|calibre|"
    r"diameter|of|to|at|up|approximately|about|maximal|maximum|max|in|dilation|dilatation|with|a|which|that|and)*$"
)

# --- measurement roles ----------------------------------------------------------------------------
PRIOR_BEFORE_RE = re.compile(
    _led(
        r"(?:\bpreviously|\bprior|\bprevious|\bprev\.?|\bearlier|\bformerly|\bfrom|\bcompared\s+(?:to|with)|\bvs\.?|\bversus|\bwas|\bwere"
        r"|\bthen|\bwhen\s+it\s+measured|\bwhen\s+measuring|\bat\s+which\s+time\s+it\s+measured|\bhad\s+measured|\bbaseline"
        r"|\bpreviously\s+measured)"
        r"(?:\s+(?:measured|measuring|measures|of|at|approximately|about|up\s+to|been|size|it|this|the\s+cyst|the\s+lesion|"
        r"measurements?|dimensions?|diameter|was|is|"
        r"exam|study|ct|mri|scan|:))*[\s:]*$"
    )
)
CURRENT_BEFORE_RE = re.compile(
    _led(
        r"(?:\bnow|\bcurrently|\btoday|\bpresently|(?<!compared\s)(?<!similar\s)(?<!relative\s)(?<!comparison\s)\bto|\bcurrent(?:ly)?\s+measur\w*|\bnow\s+measur\w*)"
        r"(?:\s+(?:measures|measuring|measured|approximately|about|up\s+to|of|at))*\s*$"
    )
)
PRIOR_AFTER_RE = re.compile(
    r"^[\s),]*(?:(?:on|in|at|from)\s+(?:the\s+)?(?:prior|previous|preceding|comparison|last|earlier|most\s+recent|"
    r"outside|older|initial|baseline|remote|\w+\s+prior)|previously|prior|before|earlier|ago|at\s+baseline|"
    r"(?:on|in|from)\s+(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|19\d\d|20\d\d)|"
    r"(?:on|in|at|from)\s+(?:the\s+|an?\s+)?(?:examination|exam|study|scan|ct|mri|mrcp|imaging|ultrasound)\s+"
    r"(?:of|dated|from|performed|done|on|\d|(?:\w+\s+){0,2}(?:ago|prior|earlier|before|previously))|"
    r"(?:\w+\s+){0,2}(?:months?|years?|weeks?)\s+(?:ago|prior|earlier|before|previously))"
)
RELATIONAL_BEFORE_RE = re.compile(
    r"\b(?:near|adjacent\s+to|abutting|abuts|close\s+to|towards?|along|compressing|displacing|posterior\s+to|"
    r"anterior\s+to|medial\s+to|lateral\s+to|inferior\s+to|superior\s+to|contacting|next\s+to|at\s+the\s+level\s+of)"
    r"\s+(?:the\s+)?(?:(?:distal|proximal|mid|upper|lower|left|right|common|intrahepatic|extrahepatic)\s+){0,2}$"
)
PAST_BEFORE_RE = re.compile(
    r"\b(?:measured|was|were|had\s+measured|measuring)\s+(?:approximately\s+|about\s+|up\s+to\s+)?$"
)
PRIOR_CONTEXT_RE = re.compile(
    r"\b(?:on|in|at)\s+(?:the\s+)?(?:prior|previous|preceding|comparison|earlier|last|baseline)\b|\bpreviously\b"
    r"|\b(?:on|in)\s+(?:\d{1,2}/|(?:19|20)\d\d\b)"
)
CORRECTION_BEFORE_RE = re.compile(
    _led(
        r"(?:\bnot|\brather\s+than|\binstead\s+of|\b(?:reported|dictated|stated|described|listed|transcribed|read)\s+as"
        r"|\berroneously|\bincorrectly|\bin\s+error)[\s:]*(?:as\s+)?(?:approximately\s+)?$"
    )
)
CHANGE_FROM_RE = re.compile(
    r"\b(?:increas\w*|enlarg\w*|grow\w*|grew|decreas\w*|progress\w*|chang\w*|expand\w*|larger|smaller|up|down|interval"
    r"|evolv\w*|shrunk|reduc\w*)\b(?:[^.;]{0,40})\bfrom\s*$"
)
RANGE_FROM_RE = re.compile(r"\b(?:rang\w*|vary\w*|between)\s+(?:in\s+size\s+)?(?:from\s+)?$")
DELTA_BEFORE_RE = re.compile(r"\bby\s+(?:approximately\s+|about\s+)?$")

NODULE_BEFORE_GAP_RE = re.compile(
    r"^[\s,(]*(?:(?:which|that)\s+)?(?:measuring|measures|measure|of|sized|size|up\s+to|approximately|about|is|:|,|\()*[\s(]*$"
)
NODULE_AFTER_GAP_RE = re.compile(
    r"^[\s-]*(?:(?:\w+ly|non[\s-]?enhancing|enhancing|solid|mural|soft[\s-]tissue|papillary|small|tiny|hypo\w*|hyper\w*|"
    r"polypoid|nodular|intramural|eccentric)\s+)*$"
)

# --- context for the exam date --------------------------------------------------------------------
EXAM_DATE_LINE_RE = re.compile(r"\b(?:date|dated|performed|exam|examination|study|service|dos|acquired)\b")
CLAUSE_BREAK_RE = re.compile(
    r";|,\s*(?:and|but|while|whereas)\b|,|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|\bas\s+well\s+as\b"
)

# --- moved from the stages ---


LABEL_RE = re.compile(r"[a-z][a-z /,&-]{0,40}:")


SOLID_TOPIC_RE = re.compile(
    r"(?:\d{1,2}[.)]\s*)?(?:(?:there\s+is|note\s+is\s+made\s+of|redemonstrated|again\s+(?:seen|noted))\s+)?an?\s+"
    r"(?:[\w.,-]+\s+){0,5}?(?:solid\s+(?:\w+\s+)?(?:nodules?|mass(?:es)?|lesions?|tumou?rs?)|mass(?:es)?|tumou?rs?)\b"
)


APPOSITION_RE = re.compile(
    r"(?:\(\s*|,\s*|\b)(?:(?:most|more|very)\s+)?(?:likely|probably|probable|presumed|presumably|possibly|possible"
    r"|favou?red|suspected|suggestive\s+of|suspicious\s+for|consistent\s+with|compatible\s+with|in\s+keeping\s+with"
    r"|representing|typical\s+of|characteristic\s+of|reflecting|which\s+(?:is|may\s+be)|that\s+is)"
    r"(?:\s+(?:representing|reflecting|to\s+be|as))?(?:\s+(?:an?|the))?\s*$"
)


HEADING_AFTER_RE = re.compile(r"(?:\(s\)|\(es\))?[ \t]*:[ \t]*(?:\n|$)")


# "8 and 5 mm", "1.2, 0.9 and 0.7 cm": numbers listed before the one that carries the unit
LISTED_NUMBER_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{1,2})?)\s*(?:,\s*and|,|and|&)\s*$")
# between a place and its own size: "head (9 mm)", "body: 12 mm", "tail, measuring 7 mm", "head 5 mm"
PLACE_SIZE_GAP_RE = re.compile(
    r"[\s(:,=-]*(?:(?:which\s+|that\s+)?(?:measuring|measures|measure|measured|of|at|up\s+to)\s*)?[\s(:=]*"
)
LIST_GAP_RE = re.compile(r"\s*(?:,\s*and|,|and|&)\s*")
RESPECTIVELY_RE = re.compile(r"\brespectively\b|\bresp\.")


SOLID_LOOK_RE = re.compile(r"\b(?:hypo-?|hyper-?|avidly\s+|arterially\s+)enhanc\w*|\bhypervascular|\bsolid\b")
PART_OF_A_LESION_RE = re.compile(
    r"cystic\s+(?:components?|portions?|elements?|changes?|degeneration|necrosis|parts?)\b"
)
COUNT_LABEL_RE = re.compile(r"\b(?:number|no\.|count)\s+of\s+(?:\w+\s+)?$")


NOT_A_FINDING_AFTER_RE = re.compile(
    r"(?:\(s\)|\(es\))?[ \t]+(?:[a-z]+[ \t]+)?(?:surveillance|follow[ -]?up|protocol|reporting|template"
    r"|worksheet|screening|work[ -]?up)\b"
)


LABEL_COLON_RE = re.compile(r"(?:\(s\))?[ \t]*:")
# whitespace, bullets and list numbers that may open a line ("- ", "• ", "2. ", "3) ")
BULLET = r"[\s*•·\-–\d.)]*"
LABEL_PREFIX_RE = re.compile(BULLET + r"(?:[a-z]+\s+)?")
SINGLE_ANSWER_RE = re.compile(r"\s*(?:single|one|solitary|1|a|an)\b")
GROUP_WORDS_RE = re.compile(r"\b(?:any|all|none|either|neither|each|both|cysts|lesions|foci|ipmns)\b")


ENUMERATED_AFTER_RE = re.compile(r"\s*(?:#|no\.?)?\s*\d{1,2}\b(?!\s*(?:mm|cm|x|\.\d))")


# "- Pancreatic tail: 2.1 cm, previously 2.1 cm", "Head: 7 mm": an item of a list of places with sizes
LIST_ITEM_RE = re.compile(
    BULLET + r"(?:(?:the\s+)?pancreatic\s+)?(?:head|neck|body|tail|uncinate(?:\s+process)?)\s*[:=-]\s*"
)


NODULE_WORDS = ("nodul", "solid", "papillary", "tissue", "component", "vegetation")
SEPTA_WORDS = ("sept", "locul", "simple", "multicystic", "without internal", "honeycomb")
COMM_WORDS = ("communicat", "connect", "contiguous", "continuous")
CONTINUATION_WORDS = (
    NODULE_WORDS
    + SEPTA_WORDS
    + COMM_WORDS
    + ("wall", "mural", "calc", "head", "neck", "body", "tail", "uncinate")
)


LOCATION_WORDS = ("head", "neck", "body", "tail", "uncinate")
CYST_WORDS = ("cyst", "lesion", "ipmn")  # one is in every name of a cyst the size patterns look for


LARGEST_RE = re.compile(r"\b(?:the\s+)?largest\b")
NOT_A_PLACE_AFTER_RE = re.compile(r"\s+(?:wall|habitus|mass)")


COMM_FIELD_RE = re.compile(r"[^:\n.;]{0,30}:\s*([^\n.;]{1,40})")
UNCERTAIN_ANSWER_RE = re.compile(
    r"\s*(?:indeterminate|uncertain|equivocal|unknown|unclear|not\s+(?:assessed|evaluated|determined|assessable)"
    r"|cannot\s+be|can\s*not\s+be|n/?a\b|\?)"
)


DUCT_AFTER_RE = re.compile(r"[\s-]*(?:\w+\s+){0,2}(?:duct|ducts|mpd|cbd)\b")
CYST_AFTER_RE = re.compile(r"[\s-]*(?:\w+\s+){0,3}(?:cyst|lesion|ipmn)")
DUCT_GAP_VETO_RE = re.compile(
    r"\b(?:septa\w*|walls?|nodul\w*|previously|prior|formerly|which\s+measured|compared|communicat\w*)\b"
)


DESCRIBED_ABOVE_RE = re.compile(r"^\s+(?:described|mentioned|noted|seen)\s+(?:above|previously|earlier)\b")


ALL_OF_THEM_RE = re.compile(r"\b(?:all|both|each|every|these|those)\b")
SENTENCE_OPENING_RE = re.compile(BULLET + r"(?:the\s+|they\s+|cystic\s+)?")


COMPARISON_SENT_RE = re.compile(
    r"\b(?:compar\w*|comp\.?(?=\s*\d)|(?:prior|previous|last|most\s+recent)\s+(?:\w+\s+)?(?:exam\w*|stud\w*|ct|mri|mrcp"
    r"|imaging|scan))"
)


# "Comp 1/5/22.", "Prior: CT 3/3/2021" in a preamble: the comparison's date, not this exam's
PRIOR_DATE_LINE_RE = re.compile(r"\b(?:comp(?:ar\w*)?|prior|previous|prev|compared|last)\b")


COMPOUND_HEADING_RE = re.compile(r"\s*:")
SIZE_OF_CYST_RE = re.compile(
    r"[\s-]*(?:(?!(?:of|to|from|in|at|with|upstream|downstream|near|proximal|distal)\b)\w+[\s,-]+){0,5}?"
    r"(?:cysts?|lesions?|ipmns?|cystic|pseudocysts?)\b"
)


COMM_BEFORE_DUCT_RE = re.compile(r"(?:communicat\w*|connect\w*|connection)\s+(?:\w+\s+){0,3}$")
COMM_AFTER_DUCT_RE = re.compile(r"(?:al)?\s+(?:communicat|connect)")
# present tense only: "…, which measured 4 mm one year ago" after a communication is the cyst's prior size
DUCT_OWN_SIZE_RE = re.compile(r"\s*,?\s*(?:which|that)\s+(?:\w+\s+){0,2}?(?:measures|is)\b")


COMPOUND_LABEL_RE = re.compile(r"[ \t*#-]*[a-z][a-z ]{0,30}(?:/|\s+and\s+|\s*&\s*)\s*(?:the\s+)?")


CYST_NEXT_RE = re.compile(r"[\s-]*(?:\w+[\s,-]+){0,5}?(?:cysts?|lesions?|ipmns?|cystic|pseudocysts?)\b")
FIELD_RE = re.compile(r"\s*(?:[-*•]\s*)?(?:diameter|caliber|calibre|size|dilat\w*|width|measurement)\s*:")
