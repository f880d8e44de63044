"""Reading job postings from Vietnamese job boards and from our own posting template.

Formats (files in ../shared/data/postings, described by the SOURCE-*.md files there):

- `careerbuilder`: CareerBuilder crawls of Feb–Mar 2023 (careerbuilder_jobs_2023-02-25.csv, …-03-04.csv),
  one row per posting; description and requirements are HTML fragments spanning several lines.
- `careerviet`, `topcv`, `vietnamworks`: search-result listings of Sep–Oct 2025 (careerviet_jobs_2025-10.csv,
  topcv_jobs_2025-09_10.csv, vietnamworks_jobs_2025-09_10.csv): title, employer, place, salary, dates, link.
- `itviec`: ITviec postings (itviec_jobs.json), a JSON list of objects whose texts are already plain.
- `template`: our flat template, CSV or XLSX, with the header `TEMPLATE_COLUMNS`.

Every board still names places with the 63 provinces of before 01/07/2025; `match_provinces` turns them
into current provinces. Salaries are free text ("Lương: 10 Tr - 12 Tr VND", "12 - 18 triệu",
"Thỏa thuận", "Lương: 500 - 1,000 USD"); `parse_salary` reads them or says it could not.
"""

import csv
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from nhanluc.core.spreadsheets import SPREADSHEET_SUFFIXES, read_sheets
from nhanluc.core.text import fold, normalise_vietnamese
from nhanluc.geo.choices import Scheme
from nhanluc.geo.models import AdminUnit
from nhanluc.geo.province_succession import LEGACY_TO_NEW_PROVINCE

# ---------------------------------------------------------------------------------------------------
# Salaries

VND = "VND"
USD = "USD"

# Regional minimum wages are millions of đồng a month, so a smaller VND figure is a figure without its
# unit (CareerViet's "Lương: 10 - 12 VND") or a dollar figure under a VND label (VietnamWorks lists
# "500 - 1.500 VND" in its "Mức lương (VND)" column): neither can be read as a monthly wage.
_LOWEST_MONTHLY_VND = 100_000

_LABELS = ("muc luong", "luong", "thu nhap", "salary")
_NEGOTIABLE = {"canh tranh", "thoa thuan", "thuong luong", "negotiable", "competitive"}
_AT_LEAST = {"tu", "tren", "from", "over", "min"}
_AT_MOST = {"toi", "den", "len den", "duoi", "up to", "upto", "max"}
_BETWEEN = {"-", "–", "~", "den", "toi", "to"}
# unit word → (multiplier, currency it implies)
_UNITS = {
    "trieu": (1_000_000, VND),
    "tr": (1_000_000, VND),
    "ty": (1_000_000_000, VND),
    "k": (1_000, VND),
    "nghin": (1_000, VND),
    "ngan": (1_000, VND),
}
_CURRENCIES = {"vnd": VND, "d": VND, "dong": VND, "usd": USD, "$": USD}
_MONTH = {"thang", "month"}
_SALARY_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[$/~–-]")
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


@dataclass(frozen=True)
class Salary:
    """A monthly salary in whole units of `currency`; without amounts unless `understood`."""

    minimum: int | None = None
    maximum: int | None = None
    currency: str = ""
    negotiable: bool = False
    understood: bool = False
    text: str = ""


# What boards write where they withhold the salary: no salary is stated, so there is nothing to read.
HIDDEN_SALARY_TEXTS = frozenset({"sign in to view salary"})


def states_salary(text: str) -> bool:
    """Whether the posting states a salary at all (blank and withheld ones do not)."""
    folded = fold(text or "")
    return bool(folded) and folded not in HIDDEN_SALARY_TEXTS


def parse_salary(text: str) -> Salary:
    """Read a board's salary text; a text it cannot read fully comes back with understood=False.

    Not understood, with no amounts: a blank text; a salary the board hides ("Sign in to view salary",
    all of ITviec's), which states nothing; a minimum above the maximum; a wage per hour or per product;
    a VND figure too small to be a monthly wage; any word the reader does not know.
    """
    text = (text or "").strip()
    tokens = _without_label(_salary_tokens(text))
    if not tokens:
        return Salary(text=text)
    if " ".join(tokens) in _NEGOTIABLE:
        return Salary(negotiable=True, understood=True, text=text)
    amounts = _amounts(tokens)
    if amounts is None:
        return Salary(text=text)
    minimum, maximum, currency = amounts
    return Salary(minimum=minimum, maximum=maximum, currency=currency, understood=True, text=text)


def _salary_tokens(text: str) -> list[str]:
    """Numbers as written, symbols, and words folded ("Lương" → "luong", "đ" → "d")."""
    tokens = []
    for token in _SALARY_TOKEN.findall(normalise_vietnamese(text)):
        tokens.append(token if token[0].isdigit() or not token[0].isalpha() else fold(token))
    return tokens


def _without_label(tokens: list[str]) -> list[str]:
    joined = " ".join(tokens)
    for label in _LABELS:
        if joined == label or joined.startswith(label + " "):
            return tokens[len(label.split()) :]
    return tokens


def _number(written: str) -> Decimal | None:
    """ "1,000" and "20.000.000" group thousands; "7,5" and "7.9" are decimals."""
    if _THOUSANDS.fullmatch(written):
        return Decimal(re.sub(r"[.,]", "", written))
    if written.count(".") + written.count(",") > 1:
        return None
    try:
        return Decimal(written.replace(",", "."))
    except InvalidOperation:
        return None


def _amounts(tokens: list[str]) -> tuple[int | None, int | None, str] | None:
    """(minimum, maximum, currency) of a salary's tokens, or None when any token does not fit."""
    bound = ""  # "min" or "max" when a single figure is a floor or a ceiling
    figures: list[list] = []  # [value, unit word or ""]
    currencies: set[str] = set()
    joined = False
    position = 0
    while position < len(tokens):
        token = tokens[position]
        pair = " ".join(tokens[position : position + 2])
        if not figures and pair in _AT_MOST:
            bound, position = "max", position + 2
            continue
        if token[0].isdigit():
            value = _number(token)
            if value is None or (figures and not joined) or len(figures) == 2:
                return None
            figures.append([value, ""])
        elif not figures and token in _AT_LEAST | _AT_MOST:
            bound = "min" if token in _AT_LEAST else "max"
        elif len(figures) == 1 and not joined and token in _BETWEEN:
            joined = True
        elif figures and token in _UNITS and not figures[-1][1]:
            figures[-1][1] = token
        elif token in _CURRENCIES:
            currencies.add(_CURRENCIES[token])
        elif token == "/" and position + 1 < len(tokens) and tokens[position + 1] in _MONTH:
            position += 1
        elif token not in _MONTH:
            return None  # an unknown word, a wage per hour ("/giờ") or per product ("/sp")
        position += 1
    if not figures or (joined and len(figures) == 1):
        return None
    return _in_units(figures, currencies, bound)


def _in_units(figures: list[list], currencies: set[str], bound: str) -> tuple | None:
    # "12 - 18 triệu": a figure without its own unit takes the unit written after the last figure.
    unit = next((word for _value, word in reversed(figures) if word), "")
    for figure in figures:
        figure[1] = figure[1] or unit
        if figure[1]:
            currencies.add(_UNITS[figure[1]][1])
    values = [value * (_UNITS[word][0] if word else 1) for value, word in figures]
    if any(value != value.to_integral_value() for value in values):
        return None
    amounts = [int(value) for value in values]
    if not currencies and min(amounts) >= _LOWEST_MONTHLY_VND:
        currencies = {VND}  # "15.000.000 - 20.000.000": millions can only be đồng
    if len(currencies) != 1:
        return None
    currency = currencies.pop()
    if currency == VND and min(amounts) < _LOWEST_MONTHLY_VND:
        return None
    if len(amounts) == 2:
        if bound == "max" or amounts[0] > amounts[1]:
            return None
        return amounts[0], amounts[1], currency
    if bound == "min":
        return amounts[0], None, currency
    if bound == "max":
        return None, amounts[0], currency
    return amounts[0], amounts[0], currency


# ---------------------------------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class ProvinceMatch:
    """The current-scheme provinces a location text names, in order of appearance.

    `other_places` counts places the text mentions without naming them: TopCV's "Hà Nội & 2 nơi khác"
    gives 2, the boards' own "Khác" / "Others" gives 1.
    """

    codes: tuple[str, ...] = ()
    abroad: bool = False
    nationwide: bool = False
    understood: bool = False
    unknown_parts: tuple[str, ...] = ()
    other_places: int = 0


# fmt: off
# Spellings the boards use that are not the name of any unit, mapped to a unit's folded bare name.
_ALIASES = {
    "thua thien hue": "hue",  # the province's name until it became a city in 2025
    "bac can": "bac kan", "dac nong": "dak nong",
    "hcm": "ho chi minh", "hcmc": "ho chi minh", "tphcm": "ho chi minh", "ho chi minh city": "ho chi minh",
    "sai gon": "ho chi minh", "saigon": "ho chi minh", "hanoi": "ha noi", "danang": "da nang",
}

# The boards' regions (CareerBuilder's "KV Đông Nam Bộ" …) stand for every province of the region, by the
# eight geographic regions of Vietnam, named with the provinces of before 2025.
_REGIONS = {
    "dong bang song hong": (
        "ha noi", "hai phong", "hai duong", "hung yen", "bac ninh", "vinh phuc", "ha nam", "nam dinh",
        "thai binh", "ninh binh",
    ),
    "bac trung bo": ("thanh hoa", "nghe an", "ha tinh", "quang binh", "quang tri", "hue"),
    "nam trung bo": (
        "da nang", "quang nam", "quang ngai", "binh dinh", "phu yen", "khanh hoa", "ninh thuan", "binh thuan",
    ),
    "tay nguyen": ("kon tum", "gia lai", "dak lak", "dak nong", "lam dong"),
    "dong nam bo": ("ho chi minh", "binh duong", "dong nai", "ba ria vung tau", "binh phuoc", "tay ninh"),
    "dong bang song cuu long": (
        "long an", "tien giang", "ben tre", "tra vinh", "vinh long", "dong thap", "an giang", "kien giang",
        "can tho", "hau giang", "soc trang", "bac lieu", "ca mau",
    ),
}

# "Abroad" in Vietnamese and English, and the foreign countries and cities the boards list as places
# (Kratie and Oddar Meanchey are provinces of Cambodia, Attapeu one of Laos).
_ABROAD = {
    "nuoc ngoai", "quoc te", "overseas", "international",
    "campuchia", "cambodia", "kratie", "oddar meanchey", "otdar meanchey", "phnom penh", "phnompenh",
    "lao", "laos", "attapeu", "thai lan", "thailand", "bangkok", "singapore", "malaysia", "indonesia",
    "philippines", "nhat ban", "japan", "tokyo", "han quoc", "korea", "dai loan", "taiwan", "trung quoc",
    "china",
}
# fmt: on
_NATIONWIDE = {"toan quoc", "ca nuoc", "nationwide"}
_OTHER = {"khac", "noi khac", "other", "others"}
# Words written before a province's or a region's name ("TP Hồ Chí Minh", "KV Nam Trung Bộ").
_BEFORE_NAME = ("thanh pho", "tinh", "tp", "khu vuc", "kv", "vung")
_UNIT_PREFIXES = ("thanh pho ", "tinh ")
_PLACE_SEPARATORS = re.compile(r"[|/,;&\n]")

_ABROAD_PLACE = "abroad"
_NATIONWIDE_PLACE = "nationwide"
_OTHER_PLACE = "other"


@lru_cache(maxsize=1)
def _place_index() -> dict[str, tuple[str, ...] | str]:
    """Folded place name → current province codes, or one of the markers abroad / nationwide / other.

    Built from the database once per process; `clear_place_index()` forgets it after a reload.
    """
    provinces: dict[str, str] = {}
    rows = AdminUnit.objects.provinces().order_by("-scheme").values_list("scheme", "code", "name")
    for scheme, code, name in rows:  # legacy before current, so a current name wins a clash
        bare = fold(name)
        for prefix in _UNIT_PREFIXES:
            bare = bare.removeprefix(prefix)
        provinces[bare] = code if scheme == Scheme.CURRENT else LEGACY_TO_NEW_PROVINCE[code]
    if not provinces:
        # An exception is not cached, so the index is built once the units are loaded.
        raise LookupError("No provinces in the database: load the geography first (load_geography).")
    index: dict[str, tuple[str, ...] | str] = {name: (code,) for name, code in provinces.items()}
    index.update({alias: (provinces[name],) for alias, name in _ALIASES.items()})
    for region, names in _REGIONS.items():
        index[region] = tuple(dict.fromkeys(provinces[name] for name in names))
    index.update(dict.fromkeys(_ABROAD, _ABROAD_PLACE))
    index.update(dict.fromkeys(_NATIONWIDE, _NATIONWIDE_PLACE))
    index.update(dict.fromkeys(_OTHER, _OTHER_PLACE))
    return index


def clear_place_index() -> None:
    """Forget the province names read from the database (after the geography is reloaded)."""
    _place_index.cache_clear()
    match_provinces.cache_clear()


@lru_cache(maxsize=4096)
def match_provinces(text: str) -> ProvinceMatch:
    """The current provinces a board's location text names, with or without diacritics.

    Places may be joined by "|", "/", ",", "&", " - " or only by spaces (CareerViet's "Hà Nội Hồ Chí
    Minh"); the longest known name is taken first, so "Bà Rịa - Vũng Tàu" stays one province.
    `understood` is True when the text names something and every word of it was recognised.
    """
    index = _place_index()
    longest = max(len(name.split()) for name in index)
    codes: dict[str, None] = {}
    abroad = nationwide = False
    other_places = 0
    unknown: list[str] = []
    for part in _PLACE_SEPARATORS.split(text or ""):
        for place, count in _places(fold(part).split(), index, longest, unknown):
            if place == _ABROAD_PLACE:
                abroad = True
            elif place == _NATIONWIDE_PLACE:
                nationwide = True
            elif place == _OTHER_PLACE:
                other_places += count
            else:
                codes.update(dict.fromkeys(place))
    understood = bool(codes or abroad or nationwide or other_places) and not unknown
    return ProvinceMatch(tuple(codes), abroad, nationwide, understood, tuple(unknown), other_places)


def _places(words: list[str], index: dict, longest: int, unknown: list[str]) -> Iterator[tuple]:
    """(place, count) for each place named in `words`; unrecognised runs of words go to `unknown`."""
    position = 0
    skipped: list[str] = []
    while position < len(words):
        # TopCV's "& 2 nơi khác": a number of places it does not name.
        numbered = words[position].isdigit()
        count = int(words[position]) if numbered else 1
        start = _after_prefix(words, position + numbered, index, longest)
        found = _longest_name(words, start, index, longest)
        if found is None or (numbered and index[found[0]] != _OTHER_PLACE):
            skipped.append(words[position])
            position += 1
            continue
        if skipped:
            unknown.append(" ".join(skipped))
            skipped = []
        name, position = found
        yield index[name], count
    if skipped:
        unknown.append(" ".join(skipped))


def _after_prefix(words: list[str], start: int, index: dict, longest: int) -> int:
    for prefix in _BEFORE_NAME:
        size = len(prefix.split())
        if " ".join(words[start : start + size]) == prefix and _longest_name(
            words, start + size, index, longest
        ):
            return start + size
    return start


def _longest_name(words: list[str], start: int, index: dict, longest: int) -> tuple[str, int] | None:
    for end in range(min(len(words), start + longest), start, -1):
        name = " ".join(words[start:end])
        if name in index:
            return name, end
    return None


# ---------------------------------------------------------------------------------------------------
# HTML


class _TextExtractor(HTMLParser):
    _BLOCKS = {
        "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "section", "article", "header", "footer", "blockquote", "pre", "hr", "dl", "dt", "dd",
    }  # fmt: skip
    _HIDDEN = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.at_line_start = True
        self.hidden = 0
        self.bullet = False
        self.closing = False
        self.tail: list[str] = []

    def _line_break(self, *, always: bool = False):
        # Nested blocks ("<div><p>") make one line break; only <br> makes blank lines.
        if always or not self.at_line_start:
            self.pieces.append("\n")
            self.at_line_start = True

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._line_break(always=True)
        elif tag in self._BLOCKS:
            self._line_break()
        elif tag in ("td", "th"):
            self.pieces.append(" ")
        self.bullet = self.bullet or tag == "li"

    def handle_endtag(self, tag):
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self._line_break()

    def handle_data(self, data):
        # HTML treats its own line breaks as spaces: only the tags make lines.
        data = re.sub(r"\s+", " ", data)
        if self.closing:
            self.tail.append(data)
        elif not self.hidden and data.strip():
            if self.bullet:
                # An item that already starts with a dash keeps its own.
                self.pieces.append("" if data.strip()[0] in "-•+*" else "- ")
                self.bullet = False
            self.pieces.append(data)
            self.at_line_start = False
        elif not self.hidden:
            self.pieces.append(data)

    def close(self):
        # What is left at the end is an unfinished tag or comment ("…</div", "<!-- …"): the parser
        # gives it back as text, which must not reach the output as a tag.
        self.closing = True
        super().close()
        tail = "".join(self.tail)
        if not re.match(r"<[A-Za-z/!?]", tail) and not self.hidden:
            self.pieces.append(tail)


def strip_html(html: str) -> str:
    """Plain text of an HTML fragment: blocks on their own lines, list items as "- item"."""
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return tidy_text("".join(extractor.pieces))


def tidy_text(text: str) -> str:
    """Whitespace collapsed within lines, no more than one blank line in a row, no blank ends."""
    lines: list[str] = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


# ---------------------------------------------------------------------------------------------------
# Postings

SOURCES = ("careerbuilder", "careerviet", "topcv", "vietnamworks", "itviec", "template")


class PostingFormatError(ValueError):
    """The file is not one of SOURCES: an unknown source, or a header without the source's columns."""


# fmt: off
# Our own template, one posting a row: column → Posting field. Only the first two columns are required.
_TEMPLATE = {
    "Tên công việc": "title",
    "Tên doanh nghiệp": "employer_name",
    "Mã tin": "source_id",
    "Mức lương": "salary_text",
    "Nơi làm việc": "location_text",
    "Ngày đăng": "posted_on",
    "Hạn nộp hồ sơ": "deadline",
    "Mô tả": "description",
    "Yêu cầu": "requirements",
    "Quyền lợi": "benefits",
    "Kinh nghiệm": "experience_text",
    "Cấp bậc": "level_text",
    "Ngành nghề": "industry_text",
    "Loại hợp đồng": "contract_text",
    "Đường dẫn": "url",
}
# fmt: on
TEMPLATE_COLUMNS = tuple(_TEMPLATE)
_TEMPLATE_REQUIRED = TEMPLATE_COLUMNS[:2]


@dataclass(frozen=True)
class Posting:
    """One posting as its source wrote it, texts tidied (HTML made plain) and dates read."""

    source: str
    source_id: str
    title: str
    employer_name: str
    salary_text: str
    location_text: str
    posted_on: datetime.date | None
    deadline: datetime.date | None
    description: str
    requirements: str
    benefits: str
    experience_text: str
    level_text: str
    industry_text: str
    contract_text: str
    url: str
    row_number: int  # CSV and XLSX: the row as a spreadsheet shows it (header = 1); JSON: 1 = first object


# fmt: off
# Posting field → the source's column. Every column of a board is required; the template needs two.
_COLUMNS: dict[str, dict[str, str]] = {
    "careerbuilder": {
        "source_id": "job_id", "title": "job_title", "employer_name": "company_title", "salary_text": "salary",
        "location_text": "location", "posted_on": "announcement_date", "deadline": "expiration_date",
        "description": "job_description", "requirements": "job_requirements", "benefits": "detailed_welfare",
        "experience_text": "kinh_nghiem", "level_text": "cap_bac", "industry_text": "nganh_nghe",
        "contract_text": "hinh_thuc", "url": "job_url",
    },
    "careerviet": {
        "source_id": "ID", "title": "Tên công việc", "employer_name": "Tên công ty", "salary_text": "Mức lương",
        "location_text": "Nơi làm việc", "posted_on": "Ngày đăng tin", "deadline": "Ngày hết hạn", "url": "Link",
    },
    "topcv": {
        "source_id": "job_id", "title": "title", "employer_name": "company", "salary_text": "salary",
        "location_text": "Nơi làm việc",
        "posted_on": "thời gian đăng",  # "4 ngày trước" for most rows: no date then
        "experience_text": "Kinh nghiệm làm việc tối thiểu", "url": "link",
    },
    "vietnamworks": {
        "source_id": "ID", "title": "Tên công việc", "employer_name": "Tên công ty",
        "salary_text": "Mức lương (VND)", "location_text": "Nơi làm việc", "posted_on": "Ngày đăng tin",
        "deadline": "Ngày hết hạn", "level_text": "Cấp bậc", "url": "Link",
    },
    "template": {field: column for column, field in _TEMPLATE.items()},
}
# fmt: on
_HTML_FIELDS = {"careerbuilder": {"description", "requirements"}}
_DATE_FIELDS = {"posted_on", "deadline"}
_TEXT_FIELDS = (
    "source_id", "title", "employer_name", "salary_text", "location_text", "description", "requirements",
    "benefits", "experience_text", "level_text", "industry_text", "contract_text", "url",
)  # fmt: skip
_DAY_FIRST = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[T ].*)?")


def read_postings(path: Path, source: str) -> Iterator[Posting]:
    """The postings of one file of `source` (see SOURCES), streamed in file order.

    Raises PostingFormatError for an unknown source or a header without the source's columns.
    """
    path = Path(path)
    if source not in SOURCES:
        raise PostingFormatError(
            f"Nguồn {source!r} không có; chọn một trong {', '.join(SOURCES)}. / "
            f"Unknown source {source!r}; expected one of {', '.join(SOURCES)}."
        )
    if source == "itviec":
        yield from _itviec_postings(path)
        return
    rows = _rows(path)
    columns = _column_positions(next(rows, (0, []))[1], source)
    for row_number, cells in rows:
        values = {field: cells[at] if at < len(cells) else "" for field, at in columns.items()}
        yield _posting(source, row_number, values)


def detect_source(path: Path) -> str:
    """The source a file comes from, told by its header; PostingFormatError when no source fits."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return "itviec"
    rows = _rows(path)
    header = {normalise_vietnamese(name) for name in next(rows, (0, []))[1]}
    rows.close()
    for source in SOURCES:
        if source != "itviec" and all(normalise_vietnamese(name) in header for name in _required(source)):
            return source
    raise PostingFormatError(
        f"{path.name}: dòng tiêu đề không khớp nguồn nào ({', '.join(SOURCES)}). / "
        f"The header matches none of the sources {', '.join(SOURCES)}."
    )


def _required(source: str) -> tuple[str, ...]:
    return _TEMPLATE_REQUIRED if source == "template" else tuple(_COLUMNS[source].values())


def _column_positions(header: list[str], source: str) -> dict[str, int]:
    """Posting field → position in the row; names compared in one Unicode form, case aside."""
    positions = {normalise_vietnamese(name): at for at, name in enumerate(header)}
    missing = [name for name in _required(source) if normalise_vietnamese(name) not in positions]
    if missing:
        raise PostingFormatError(
            f"Dòng tiêu đề thiếu cột {', '.join(missing)} của tệp {source}. / "
            f"The header has no column {', '.join(missing)} of a {source} file."
        )
    wanted = {field: normalise_vietnamese(name) for field, name in _COLUMNS[source].items()}
    return {field: positions[name] for field, name in wanted.items() if name in positions}


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    return _spreadsheet_rows(path) if path.suffix.lower() in SPREADSHEET_SUFFIXES else _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of every CSV record; quoted cells may hold line breaks, so a record is a row."""
    number = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            for number, cells in enumerate(csv.reader(handle), start=1):
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except (UnicodeDecodeError, csv.Error) as error:
            raise PostingFormatError(
                f"{path.name}, sau dòng {number}: không đọc được dưới dạng CSV UTF-8 ({error}); hãy lưu lại "
                f"với bảng mã UTF-8. / After row {number}: unreadable as a UTF-8 CSV file."
            ) from None


def _spreadsheet_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet that has any row."""
    for sheet in read_sheets(path, max_cell_length=100_000):
        for number, cells in sheet.rows:
            yield number, [cell or "" for cell in cells]
        return


def _itviec_postings(path: Path) -> Iterator[Posting]:
    with path.open(encoding="utf-8") as handle:
        try:
            records = json.load(handle)
        except ValueError as error:  # also a file that is not UTF-8
            raise PostingFormatError(
                f"{path.name}: không phải tệp JSON ({error}). / Not a JSON file."
            ) from None
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise PostingFormatError(
            f"{path.name}: tệp ITviec phải là danh sách tin (JSON). / An ITviec file is a JSON list of postings."
        )
    for number, record in enumerate(records, start=1):
        company = record.get("companyInfo") or {}
        values = {
            "source_id": record.get("jobKey"),
            "title": record.get("title"),
            "employer_name": record.get("company"),
            "salary_text": record.get("salary"),
            "location_text": record.get("location"),
            "description": record.get("jobDescription"),
            "requirements": record.get("requirements"),
            "benefits": record.get("benefits"),
            "industry_text": company.get("Company industry") if isinstance(company, dict) else "",
            "url": record.get("url"),
        }
        # "postedTime" is relative ("Posted 7 hours ago"), like TopCV's: no date is made up from it.
        yield _posting("itviec", number, {field: str(value or "") for field, value in values.items()})


def _posting(source: str, row_number: int, values: dict[str, str]) -> Posting:
    html = _HTML_FIELDS.get(source, set())
    fields: dict = {}
    for field in _TEXT_FIELDS:
        value = values.get(field, "")
        fields[field] = strip_html(value) if field in html else tidy_text(value)
    for field in _DATE_FIELDS:
        fields[field] = _date(values.get(field, ""))
    return Posting(source=source, row_number=row_number, **fields)


def _date(text: str) -> datetime.date | None:
    """ "25-02-2023", "31/03/2023", "2025-09-26" (also with a time); None for anything else."""
    text = (text or "").strip()
    if found := _DAY_FIRST.fullmatch(text):
        day, month, year = found.groups()
    elif found := _ISO_DATE.fullmatch(text):
        year, month, day = found.groups()
    else:
        return None  # TopCV's "4 ngày trước", CareerViet's bare "5" in place of a deadline
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
