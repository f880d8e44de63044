"""Suggesting VSCO level-4 codes for a free-text job title ("thợ hàn" → 7212).

The gazetteer is the official names and job-title aliases of the classification. A title is
compared word by word (so word order does not matter), after expanding common abbreviations and
a few synonyms officers use ("công nhân" for "thợ"). Words are matched without diacritics, but when
the query has diacritics an exact match counts more, which keeps "may" (sew) apart from "máy"
(machine). Rare words weigh more than common ones (inverse document frequency).
"""

import math
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max

from nhanluc.catalogs.choices import VSCO_VERSION
from nhanluc.catalogs.models import OccupationTitle
from nhanluc.core.text import fold, normalise_vietnamese

ABBREVIATIONS = {
    "cn": "công nhân",
    "nv": "nhân viên",
    "ktv": "kỹ thuật viên",
    "ks": "kỹ sư",
    "gv": "giáo viên",
    "bs": "bác sĩ",
    "ql": "quản lý",
    "kd": "kinh doanh",
    "nvkd": "nhân viên kinh doanh",
    "lx": "lái xe",
    "tx": "tài xế",
    "cntt": "công nghệ thông tin",
    "it": "công nghệ thông tin",
    "sx": "sản xuất",
    "gd": "giám đốc",
    "pgd": "phó giám đốc",
    "tp": "trưởng phòng",
    "hcns": "hành chính nhân sự",
    "bv": "bảo vệ",
    "pv": "phục vụ",
    "ldpt": "lao động phổ thông",
    "dd": "điều dưỡng",
    "kt": "kế toán",
    "vp": "văn phòng",
    "xd": "xây dựng",
}

# A phrase of the query → phrases that stand for it in the classification's wording.
SYNONYMS = {
    ("cong", "nhan"): (("tho",), ("lao", "dong"), ("nguoi", "van", "hanh")),
    ("tai", "xe"): (("lai", "xe"),),
    ("lao", "dong", "pho", "thong"): (("lao", "dong", "gian", "don"),),
    ("nhan", "vien"): (("nguoi",),),
}
STAND_IN_FACTOR = 0.8
# A word matched without its diacritics when the query had them ("may" for "máy").
FOLDED_ONLY_FACTOR = 0.55

# Function words of the classification's wording; they carry no meaning for a match.
STOPWORDS = {
    "và",
    "các",
    "khác",
    "những",
    "có",
    "liên",
    "quan",
    "của",
    "trong",
    "về",
    "chưa",
    "được",
    "phân",
    "vào",
    "đâu",
    "không",
    "bao",
    "gồm",
}


# What is not a letter or a digit (str.isalnum) separates words. One pattern instead of a test per
# character: an import asks for a hundred new titles a file.
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def _accented_words(text: str) -> list[str]:
    return _NOT_ALPHANUMERIC.sub(" ", normalise_vietnamese(text)).split()


def _has_diacritics(text: str) -> bool:
    return (
        any(unicodedata.category(ch) == "Mn" for ch in unicodedata.normalize("NFD", text))
        or "đ" in text.lower()
    )


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    score: float
    matched_title: str


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    title: str
    folded: tuple[str, ...]
    accented: tuple[str, ...]
    word_weights: tuple[float, ...]
    total_weight: float
    # folded word → where it first appears in `folded`; most query units are one word, found here.
    first_position: dict[str, int]


@dataclass(frozen=True)
class _Index:
    entries: tuple[_Entry, ...]
    weights: dict[str, float]
    # folded word → positions in `entries` of the titles holding it; only those are scored.
    postings: dict[str, tuple[int, ...]]
    # A title exactly as the classification writes it (lower case) → the codes listing it.
    exact_titles: dict[str, tuple[str, ...]]

    def weight(self, word: str) -> float:
        return self.weights.get(word, self.weights.get("", 1.0))


def _expand(words: list[str]) -> list[str]:
    expanded = []
    for word in words:
        replacement = ABBREVIATIONS.get(fold(word))
        expanded.extend(_accented_words(replacement) if replacement else [word])
    return expanded


@lru_cache(maxsize=4)
def _build_index(version: str, generation: tuple) -> _Index:
    rows = (
        OccupationTitle.objects.filter(occupation__version=version, occupation__level=4)
        .values_list("occupation__code", "occupation__name", "title")
        .order_by("occupation__code", "-is_official_name", "id")
    )
    words = []
    document_frequency: Counter = Counter()
    for code, name, title in rows:
        accented = tuple(w for w in _accented_words(title) if w not in STOPWORDS)
        folded = tuple(fold(w) for w in accented)
        words.append((code, name, title, folded, accented))
        document_frequency.update(set(folded))
    total = max(len(words), 1)
    weights = {word: math.log(1 + total / count) for word, count in document_frequency.items()}
    weights[""] = math.log(1 + total)  # an unseen word is as rare as can be
    entries = []
    postings: dict[str, list[int]] = {}
    exact_titles: dict[str, list[str]] = {}
    for position, (code, name, title, folded, accented) in enumerate(words):
        word_weights = tuple(weights[w] for w in folded)
        first_position: dict[str, int] = {}
        for at, word in enumerate(folded):
            first_position.setdefault(word, at)
        entries.append(
            _Entry(
                code, name, title, folded, accented, word_weights, sum(word_weights) or 1.0, first_position
            )
        )
        for word in set(folded):
            postings.setdefault(word, []).append(position)
        codes = exact_titles.setdefault(_exact_key(title), [])
        if code not in codes:
            codes.append(code)
    return _Index(
        tuple(entries),
        weights,
        {word: tuple(p) for word, p in postings.items()},
        {title: tuple(codes) for title, codes in exact_titles.items()},
    )


def _exact_key(text: str) -> str:
    return " ".join(_accented_words(text))


# An import asks for thousands of titles in a row; the catalogue changes a few times a year. Looking
# for reloaded titles once in a while, not on every call, keeps an import from spending its time on
# that query, and a reload still shows within the interval.
GENERATION_CHECK_SECONDS = 30.0
_generation_seen: dict[str, tuple[float, tuple]] = {}


def forget_title_generation() -> None:
    """Make this process look for reloaded titles on the next suggestion."""
    _generation_seen.clear()


def _index(version: str) -> _Index:
    checked_at, generation = _generation_seen.get(version, (-math.inf, ()))
    if time.monotonic() - checked_at > GENERATION_CHECK_SECONDS:
        # The generation changes whenever titles are loaded again, which rebuilds the cached index.
        generation = tuple(
            OccupationTitle.objects.filter(occupation__version=version)
            .aggregate(n=Count("id"), last=Max("id"))
            .values()
        )
        _generation_seen[version] = (time.monotonic(), generation)
    return _build_index(version, generation)


@dataclass(frozen=True)
class _QueryUnit:
    """A word of the query, or a phrase of it that has stand-ins ("công nhân" ~ "thợ")."""

    accented: tuple[str, ...]
    folded: tuple[str, ...]
    stand_ins: tuple[tuple[str, ...], ...] = ()


def _query_units(words: list[str]) -> list[_QueryUnit]:
    folded = [fold(w) for w in words]
    units, position = [], 0
    while position < len(words):
        for phrase, stand_ins in SYNONYMS.items():
            size = len(phrase)
            if tuple(folded[position : position + size]) == phrase:
                units.append(_QueryUnit(tuple(words[position : position + size]), phrase, stand_ins))
                position += size
                break
        else:
            units.append(_QueryUnit((words[position],), (folded[position],)))
            position += 1
    return units


def _find(entry: _Entry, phrase: tuple[str, ...]) -> int:
    """Start of `phrase` inside the entry's folded words, or -1."""
    first = entry.first_position.get(phrase[0], -1)
    if first < 0 or len(phrase) == 1:
        return first
    sequence, size = entry.folded, len(phrase)
    for start in range(first, len(sequence) - size + 1):
        if sequence[start : start + size] == phrase:
            return start
    return -1


def _score(entry: _Entry, units: list[tuple[_QueryUnit, float]], exact_matters: bool) -> float:
    wanted = matched = 0.0
    covered: set[int] = set()
    for unit, weight in units:
        wanted += weight
        start = _find(entry, unit.folded)
        if start >= 0:
            span = range(start, start + len(unit.folded))
            exact = not exact_matters or all(
                entry.accented[i] == w for i, w in zip(span, unit.accented, strict=True)
            )
            matched += weight * (1.0 if exact else FOLDED_ONLY_FACTOR)
            covered.update(span)
            continue
        for stand_in in unit.stand_ins:
            start = _find(entry, stand_in)
            if start >= 0:
                matched += weight * STAND_IN_FACTOR
                covered.update(range(start, start + len(stand_in)))
                break
    if not matched:
        return 0.0
    recall = min(1.0, matched / wanted)
    precision = sum(entry.word_weights[i] for i in covered) / entry.total_weight
    return recall * (0.6 + 0.4 * precision)


def suggest_occupation(text: str, *, limit: int = 5, version: str = VSCO_VERSION) -> list[Suggestion]:
    """Rank VSCO level-4 codes for a free-text job title, best first, with scores in [0, 1]."""
    words = _expand(_accented_words(text))
    if not words:
        return []
    index = _index(version)
    units = [
        (unit, sum(index.weight(w) for w in unit.folded))
        for unit in _query_units([w for w in words if w not in STOPWORDS] or words)
    ]
    exact_matters = _has_diacritics(text)
    # Each title holding a word of a query unit can at most earn that unit's weight, so the weight a
    # title could earn bounds its score from above (score ≤ recall ≤ bound / wanted). Titles are
    # scored from the highest bound down, and scoring stops once no title left can enter the top
    # `limit`: the same ranking as scoring them all, without scoring the long tail.
    bound: dict[int, float] = {}
    wanted = 0.0
    for unit, weight in units:
        wanted += weight
        reached: set[int] = set()
        for phrase in (unit.folded, *unit.stand_ins):
            for word in phrase:
                reached.update(index.postings.get(word, ()))
        for position in reached:
            bound[position] = bound.get(position, 0.0) + weight
    best: dict[str, tuple[float, int, _Entry]] = {}
    key = _exact_key(text)
    listing = index.exact_titles.get(key, ())
    for position in sorted(bound, key=lambda at: (-bound[at], at)):
        if len(best) >= limit and wanted:
            kth = sorted((score for score, _at, _entry in best.values()), reverse=True)[limit - 1]
            if min(1.0, bound[position] / wanted) < kth:
                break
        entry = index.entries[position]
        # A title written word for word as the classification lists it is a perfect match, whatever
        # the word scoring makes of its repeated words ("thợ sơn … và thợ …").
        if entry.code in listing and _exact_key(entry.title) == key:
            score = 1.0
        else:
            score = _score(entry, units, exact_matters)
        if not score:
            continue
        kept = best.get(entry.code)
        # The same code's first title (in catalogue order) speaks for it among equal scores.
        if kept is None or score > kept[0] or (score == kept[0] and position < kept[1]):
            best[entry.code] = (score, position, entry)
    # Among equal scores, the code that lists the title word for word comes first.
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[2].code not in listing, item[2].code))
    ranked = ranked[:limit]
    return [Suggestion(entry.code, entry.name, round(score, 4), entry.title) for score, _at, entry in ranked]


def best_occupation(text: str, *, threshold: float, version: str = VSCO_VERSION) -> str:
    """The one VSCO code for a title, or "" when no suggestion reaches `threshold`.

    A title written exactly as the classification lists it under a single code is that code;
    that is most of what an import sees, and answering it from a dictionary spares the scoring.
    """
    codes = _index(version).exact_titles.get(_exact_key(text), ())
    if len(codes) == 1:
        return codes[0]
    found = suggest_occupation(text, limit=1, version=version)
    return found[0].code if found and found[0].score >= threshold else ""
