"""Bulk import of vacancies: the real job-board exports in ../shared/data/postings and our template.

Each posting becomes a `Vacancy`: its salary text read into a range, its place names (job boards still
write the 63 pre-2025 provinces) into current provinces, its HTML stripped, its title coded to VSCO.
A posting already imported from the same source (same id) is updated, never duplicated. The whole file
is one transaction: a file that fails half-way leaves the vacancies as they were.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nhanluc.catalogs.suggest import suggest_occupation
from nhanluc.core.bulk import select_in
from nhanluc.core.choices import AuditAction
from nhanluc.core.progress import Progress
from nhanluc.core.services import note_data_change, record_event
from nhanluc.core.text import fold
from nhanluc.employers.choices import VacancySource, VacancyStatus, WageCurrency
from nhanluc.employers.models import Vacancy
from nhanluc.employers.postings import Posting, match_provinces, parse_salary, read_postings, states_salary

# The same threshold as the register's import: below it a title is left uncoded rather than guessed.
OCCUPATION_THRESHOLD = 0.5
BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 200
UPDATED_FIELDS = (
    "employer_name",
    "title",
    "occupation_code",
    "province_code",
    "location_text",
    "wage_min",
    "wage_max",
    "wage_currency",
    "wage_negotiable",
    "wage_text",
    "benefits",
    "description",
    "requirements",
    "experience_text",
    "posted_on",
    "deadline",
    "status",
    "url",
    "search_text",
)


# Job boards decorate titles: "[ĐÀ NẴNG] Nhân viên kinh doanh - Thu nhập lên đến 20tr".
_DECORATION = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*+")
_TITLE_PARTS = re.compile(r"\s[-–|]\s|/|\|")
TITLE_PARTS_TRIED = 3


@lru_cache(maxsize=65536)
def _best_suggestion(text: str) -> tuple[str, float]:
    found = suggest_occupation(text, limit=1)
    return (found[0].code, found[0].score) if found else ("", 0.0)


def occupation_for_posting_title(title: str) -> str:
    """The VSCO code of a job board's title, or "" when no part of it is a confident match.

    The title's decorations (places in brackets, pay, "gấp") are dropped and each of its first parts
    is tried on its own; the best-scoring part decides.
    """
    cleaned = _DECORATION.sub(" ", title)
    parts = [part.strip() for part in _TITLE_PARTS.split(cleaned) if part.strip()][:TITLE_PARTS_TRIED]
    best_code, best_score = "", 0.0
    for part in parts or [title]:
        code, score = _best_suggestion(part.lower())
        if score > best_score:
            best_code, best_score = code, score
    return best_code if best_score >= OCCUPATION_THRESHOLD else ""


@dataclass
class VacancyImportResult:
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    salary_texts: int = 0
    salaries_understood: int = 0
    locations: int = 0
    locations_understood: int = 0
    in_province: int = 0
    coded: int = 0
    salaries_not_stated: int = 0
    unchanged: int = 0
    salaries_not_understood: dict[str, int] = field(default_factory=dict)
    locations_not_understood: dict[str, int] = field(default_factory=dict)

    @property
    def salary_share(self) -> float:
        return self.salaries_understood / self.salary_texts if self.salary_texts else 1.0

    @property
    def location_share(self) -> float:
        return self.locations_understood / self.locations if self.locations else 1.0

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "salary_texts": self.salary_texts,
            "salaries_understood": self.salaries_understood,
            "locations": self.locations,
            "locations_understood": self.locations_understood,
            "in_province": self.in_province,
            "coded": self.coded,
            "salaries_not_stated": self.salaries_not_stated,
            "unchanged": self.unchanged,
            "salaries_not_understood": self.salaries_not_understood,
            "locations_not_understood": self.locations_not_understood,
        }


def _content_key(posting: Posting) -> str:
    """A stand-in id for a posting its board gave none, so that importing the file again finds it."""
    content = "\x1f".join(
        (
            posting.title,
            posting.employer_name,
            posting.url,
            str(posting.posted_on or ""),
            posting.location_text,
        )
    )
    return "h:" + hashlib.sha256(content.encode()).hexdigest()[:40]


def _status(deadline: datetime.date | None, today: datetime.date) -> str:
    return VacancyStatus.EXPIRED if deadline is not None and deadline < today else VacancyStatus.PUBLISHED


def vacancy_from_posting(
    posting: Posting, *, province_code: str, today: datetime.date, result: VacancyImportResult
) -> Vacancy:
    salary = parse_salary(posting.salary_text)
    if not states_salary(posting.salary_text):
        result.salaries_not_stated += 1
    else:
        result.salary_texts += 1
        if salary.understood:
            result.salaries_understood += 1
        else:
            result.salaries_not_understood[salary.text] = (
                result.salaries_not_understood.get(salary.text, 0) + 1
            )
    place = match_provinces(posting.location_text)
    if fold(posting.location_text):  # a text with a letter or a digit in it ("," is no place)
        result.locations += 1
        if place.understood:
            result.locations_understood += 1
        else:
            text = posting.location_text.strip()
            result.locations_not_understood[text] = result.locations_not_understood.get(text, 0) + 1
    # A posting for several provinces belongs to ours when ours is among them.
    chosen = province_code if province_code in place.codes else (place.codes[0] if place.codes else "")
    if chosen == province_code:
        result.in_province += 1
    occupation = occupation_for_posting_title(posting.title) if posting.title else ""
    if occupation:
        result.coded += 1
    understood_amounts = salary.understood and not salary.negotiable
    return Vacancy(
        employer_name=posting.employer_name[:255],
        title=posting.title[:255],
        occupation_code=occupation,
        province_code=chosen,
        location_text=posting.location_text[:255],
        wage_min=salary.minimum if understood_amounts else None,
        wage_max=salary.maximum if understood_amounts else None,
        wage_currency=salary.currency or WageCurrency.VND,
        wage_negotiable=salary.negotiable,
        wage_text=posting.salary_text[:128],
        benefits=posting.benefits,
        description=posting.description,
        requirements=posting.requirements,
        experience_text=posting.experience_text[:128],
        posted_on=posting.posted_on,
        deadline=posting.deadline,
        status=_status(posting.deadline, today),
        source=posting.source,
        source_id=posting.source_id[:64] or _content_key(posting),
        url=posting.url[:500],
        search_text=fold(f"{posting.title} {posting.employer_name}"),
    )


def import_vacancies(
    path: Path,
    *,
    source: str,
    actor=None,
    province_code: str | None = None,
    progress: Progress | None = None,
    audit_source: str = "cli",
) -> VacancyImportResult:
    """Import every posting of `path`; return the counts and the share of salaries and places understood."""
    if source not in VacancySource.values:
        raise ValueError(f"unknown source {source!r}")
    progress = progress or Progress()
    province_code = province_code or settings.NHANLUC_PROVINCE
    today = timezone.localdate()
    result = VacancyImportResult(source=source)
    # Read and convert first: a file that cannot be read changes nothing.
    vacancies: dict[str, Vacancy] = {}
    anonymous: list[Vacancy] = []
    progress.start(None, "Đọc tin tuyển dụng")
    for posting in read_postings(Path(path), source):
        result.rows += 1
        vacancy = vacancy_from_posting(posting, province_code=province_code, today=today, result=result)
        if vacancy.source_id:
            vacancies[vacancy.source_id] = vacancy  # a posting crawled twice: the later line wins
        else:
            anonymous.append(vacancy)
        progress.advance()
    progress.start(len(vacancies) + len(anonymous), "Ghi vào cơ sở dữ liệu")
    with transaction.atomic():
        existing = dict(
            select_in(
                Vacancy,
                ["source_id", "id"],
                "source_id",
                list(vacancies),
                # The unique index on (source, source_id) holds only the postings with an id.
                where="source = %s AND source_id <> ''",
                params=[source],
            )
        )
        new = [vacancy for key, vacancy in vacancies.items() if key not in existing] + anonymous
        stored = {
            row[0]: row[1:]
            for start in range(0, len(existing), BATCH_SIZE)
            for row in Vacancy.objects.filter(
                pk__in=list(existing.values())[start : start + BATCH_SIZE]
            ).values_list("pk", *UPDATED_FIELDS)
        }
        changed = []
        for key, pk in existing.items():
            vacancy = vacancies[key]
            vacancy.pk = pk
            # A posting the board has not changed since the last import is left alone.
            if stored.get(pk) != tuple(getattr(vacancy, name) for name in UPDATED_FIELDS):
                changed.append(vacancy)
        result.unchanged = len(existing) - len(changed)
        for start in range(0, len(new), BATCH_SIZE):
            Vacancy.objects.bulk_create(new[start : start + BATCH_SIZE])
            progress.advance(len(new[start : start + BATCH_SIZE]))
        # Small batches: Django writes a CASE branch per row and column, which grows worse than linearly.
        for start in range(0, len(changed), UPDATE_BATCH_SIZE):
            Vacancy.objects.bulk_update(changed[start : start + UPDATE_BATCH_SIZE], UPDATED_FIELDS)
            progress.advance(len(changed[start : start + UPDATE_BATCH_SIZE]))
        progress.advance(result.unchanged)
        result.created, result.updated = len(new), len(changed)
        note_data_change(domain="demand", province_code=province_code)
        record_event(
            actor=actor,
            action=AuditAction.LOAD,
            object_type="employers.vacancy",
            object_repr=Path(path).name,
            # The lists of texts not understood can be long; the job and the CLI show them.
            changes={
                key: value for key, value in result.as_dict().items() if not key.endswith("not_understood")
            },
            source=audit_source,
            province_code=province_code,
        )
    progress.close()
    return result
