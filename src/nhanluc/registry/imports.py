"""Importing a survey file into the register: read, validate every row, then commit in one transaction.

Two-phase (pretix's model import): nothing is written until the whole file has been read and checked,
unless the officer chose to commit the valid rows and get the others back. The commit is one
transaction of bulk writes (COPY on PostgreSQL), so a crash or a kill leaves the register untouched
and running the import again finishes it. Importing the same file twice changes nothing: people are
matched by CCCD, and a situation whose fields all equal the row's is left as it is.
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from nhanluc.catalogs.choices import TRAINING_FIELD_VERSION, VSCO_VERSION, VSIC_VERSION
from nhanluc.catalogs.models import Industry, Occupation, TrainingField
from nhanluc.catalogs.suggest import best_occupation
from nhanluc.core.bulk import WriterBusy, select_in
from nhanluc.core.choices import AuditAction
from nhanluc.core.progress import Progress
from nhanluc.core.services import record_event, reference_generation
from nhanluc.core.spreadsheets import UnreadableFile
from nhanluc.core.text import fold
from nhanluc.geo.addresses import AddressIndex, shared_address_index
from nhanluc.geo.choices import Level, Scheme
from nhanluc.geo.models import AdminUnit
from nhanluc.registry.choices import (
    BatchStatus,
    ErrorCategory,
    ImportMode,
)
from nhanluc.registry.errors import write_error_workbook
from nhanluc.registry.import_writes import RegisteredElsewhere, commit_rows
from nhanluc.registry.models import ImportBatch, Person, SurveyRound
from nhanluc.registry.rules import RuleContext, Validation, validate
from nhanluc.registry.workbook import SurveyFile, read_survey_file

SUGGESTION_THRESHOLD = 0.5


class ImportRefused(Exception):
    """The file was refused; `batch` holds the summary and the error workbook."""

    def __init__(self, batch: ImportBatch, message: str):
        super().__init__(message)
        self.batch = batch


@dataclass
class RegisterLookups:
    """The reference lists the rules check against, read once per process."""

    legacy_province_codes: frozenset[str]
    occupation_codes: frozenset[str]
    industry_codes: frozenset[str]
    training_fields: dict[str, str]
    commune_codes: frozenset[str]


def register_lookups(province_code: str) -> RegisterLookups:
    """The code lists the rules check against, read once per process while they stay the same."""
    generation = reference_generation(AdminUnit, Occupation, Industry, TrainingField)
    return _register_lookups(province_code, generation)


@lru_cache(maxsize=8)
def _register_lookups(province_code: str, generation: tuple) -> RegisterLookups:
    # Sets, so no ORDER BY: sorted by the model's (scheme, code), SQLite walks every legacy commune
    # to find the 63 provinces (3 ms a file instead of 0,1 ms).
    legacy = (
        AdminUnit.objects.filter(scheme=Scheme.LEGACY, level=Level.PROVINCE)
        .order_by()
        .values_list("code", flat=True)
    )
    training = {}
    for code, name in TrainingField.objects.filter(version=TRAINING_FIELD_VERSION).values_list(
        "code", "name"
    ):
        training[code] = code
        training[fold(name)] = code
    return RegisterLookups(
        legacy_province_codes=frozenset(code.zfill(3) for code in legacy),
        occupation_codes=frozenset(
            Occupation.objects.filter(version=VSCO_VERSION, level=4).order_by().values_list("code", flat=True)
        ),
        industry_codes=frozenset(
            Industry.objects.filter(version=VSIC_VERSION)
            .exclude(level="section")
            .order_by()
            .values_list("code", flat=True)
        ),
        training_fields=training,
        commune_codes=frozenset(
            AdminUnit.objects.current()
            .communes()
            .filter(province_code=province_code)
            .order_by()
            .values_list("code", flat=True)
        ),
    )


@lru_cache(maxsize=8192)
def _occupation_for_title(title: str) -> str:
    return best_occupation(title, threshold=SUGGESTION_THRESHOLD)


def registered_people(cccds: list[str]) -> list[tuple[str, str, bool]]:
    """(CCCD, commune, still present) of the people of `cccds` already in the register."""
    rows = select_in(Person, ["cccd", "commune_code", "left_on"], "cccd", cccds)
    return [(cccd, commune, left_on is None) for cccd, commune, left_on in rows]


def present_communes(people: list[tuple[str, str, bool]]) -> dict[str, str]:
    """CCCD → commune of those of `registered_people` still present (not recorded as having left)."""
    return {cccd: commune for cccd, commune, present in people if present}


def registered_communes(cccds: list[str]) -> dict[str, str]:
    """CCCD → commune of the people already in the register (and still present)."""
    return present_communes(registered_people(cccds))


def rule_context(
    *,
    reference_date: datetime.date,
    province_code: str,
    commune_code: str = "",
    lookups: RegisterLookups | None = None,
    addresses: AddressIndex | None = None,
    labels: dict | None = None,
    registered_commune: Callable[[list[str]], dict[str, str]] = registered_communes,
) -> RuleContext:
    lookups = lookups or register_lookups(province_code)
    addresses = addresses or shared_address_index()  # built once per process, not per file
    return RuleContext(
        reference_date=reference_date,
        province_code=province_code,
        legacy_province_codes=lookups.legacy_province_codes,
        occupation_codes=lookups.occupation_codes,
        industry_codes=lookups.industry_codes,
        training_fields=lookups.training_fields,
        commune_codes=lookups.commune_codes,
        registered_commune=registered_commune,
        suggest_occupation=_occupation_for_title,
        resolve_address=addresses.resolve,
        default_commune_code=commune_code,
        column_labels=labels or {},
    )


def get_or_create_round(
    *, code: str, province_code: str, reference_date: datetime.date | None = None, actor=None
) -> SurveyRound:
    survey_round = SurveyRound.objects.filter(province_code=province_code, code=code).first()
    if survey_round:
        return survey_round
    if reference_date is None:
        if not (code.isdigit() and len(code) == 4):
            raise ValueError(_("Kỳ điều tra mới cần thời điểm điều tra (--date)"))
        # An annual round describes the situation at mid-year; the data go to the ministry by 15 December.
        reference_date = datetime.date(int(code), 7, 1)
    survey_round = SurveyRound.objects.create(
        province_code=province_code,
        code=code,
        name=_("Kỳ điều tra %(code)s") % {"code": code},
        reference_date=reference_date,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="registry.surveyround",
        object_id=survey_round.pk,
        object_repr=survey_round.name,
        changes={"reference_date": [None, reference_date.isoformat()]},
        source="import",
        province_code=province_code,
    )
    return survey_round


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def summarise(validation: Validation) -> dict:
    """The per-file summary as officers count it: rows, households, errors by category."""
    rows = validation.rows
    errors = validation.errors
    by_category = {category.value: 0 for category in ErrorCategory}
    for category, count in errors.group_by("category").len().iter_rows():
        by_category[category] = count
    return {
        "rows": rows.height,
        "households": rows.select(pl.struct("_sheet", "household_number").drop_nulls().n_unique()).item()
        if rows.height
        else 0,
        "valid_rows": int(rows.get_column("_valid").sum()) if rows.height else 0,
        "rows_with_errors": errors.select(pl.struct("sheet", "row").n_unique()).item()
        if errors.height
        else 0,
        "errors": errors.height,
        "warnings": validation.problems.height - errors.height,
        "errors_by_category": by_category,
    }


def import_survey_file(
    *,
    path: Path,
    survey_round: SurveyRound,
    actor=None,
    commune_code: str = "",
    mode: str = ImportMode.ALL_OR_NOTHING,
    file_name: str = "",
    source: str = "cli",
    progress: Progress | None = None,
) -> ImportBatch:
    """Import one file. Returns the batch; raises ImportRefused (batch attached) when the file is refused."""
    progress = progress or Progress()
    path = Path(path)
    province_code = survey_round.province_code
    if actor is not None and actor.commune_code:
        # A commune officer imports only for their own commune.
        if commune_code and commune_code != actor.commune_code:
            raise PermissionError(_("Cán bộ xã chỉ nhập dữ liệu của xã mình"))
        commune_code = actor.commune_code
    # Written once the file has been read and checked: when refused, or with its rows in the commit's
    # transaction. Two imports on SQLite then take one turn each at the write lock, not three, and a
    # killed import leaves no batch that claims to be still checking.
    batch = ImportBatch(
        survey_round=survey_round,
        province_code=province_code,
        commune_code=commune_code,
        file_name=file_name or path.name,
        file_sha256=_sha256(path),
        mode=mode,
        created_by=actor,
    )
    try:
        return _import_batch(
            batch,
            path=path,
            survey_round=survey_round,
            actor=actor,
            commune_code=commune_code,
            mode=mode,
            source=source,
            progress=progress,
        )
    except ImportRefused:
        raise
    except PermissionError as refused:
        _finish(batch, BatchStatus.REFUSED, {"file_error": str(refused)})
        raise
    except WriterBusy as busy:
        _finish(batch, BatchStatus.FAILED, {"file_error": str(busy)})
        raise
    except BaseException:
        # Whatever stopped it (a crash, a stopped worker), the commit rolled back: say so on the batch.
        _finish(
            batch, BatchStatus.FAILED, {"file_error": _("Lỗi hệ thống khi nhập; sổ đăng ký không thay đổi")}
        )
        raise


def _import_batch(
    batch: ImportBatch, *, path, survey_round, actor, commune_code, mode, source, progress
) -> ImportBatch:
    progress.start(4, _("Đọc tệp %(name)s") % {"name": batch.file_name})
    try:
        survey = read_survey_file(path)
    except UnreadableFile as error:
        _finish(batch, BatchStatus.REFUSED, {"file_error": str(error)})
        raise ImportRefused(batch, str(error)) from None
    progress.advance()
    if survey.commune_code and commune_code and survey.commune_code != commune_code:
        message = _("Tệp ghi mã xã %(file)s nhưng đang nhập cho xã %(chosen)s") % {
            "file": survey.commune_code,
            "chosen": commune_code,
        }
        _finish(batch, BatchStatus.REFUSED, {"file_error": message})
        raise ImportRefused(batch, message)
    commune_code = commune_code or survey.commune_code
    batch.layout = survey.layout
    batch.commune_code = commune_code
    progress.note(_("Kiểm tra %(rows)s dòng") % {"rows": survey.frame.height})
    request = _Request(survey, survey_round, actor, commune_code, mode, source, progress)
    return _check_and_commit(batch, request, look_up=not _first_survey(commune_code))


@dataclass
class _Request:
    """A file read, and what the officer asked of its import."""

    survey: SurveyFile
    survey_round: SurveyRound
    actor: object
    commune_code: str
    mode: str
    source: str
    progress: Progress


def _first_survey(commune_code: str) -> bool:
    """Whether no one is registered in the commune yet (its first survey, the bulk of a first round).

    Its file then rarely names anyone in the register, so its rows are checked without looking each
    CCCD up (nearly a tenth of the database's CPU on a large import): the CCCD's unique index still
    refuses anyone registered when the rows are written, and the file is then checked again with the
    lookups.
    """
    return bool(commune_code) and not Person.objects.filter(commune_code=commune_code).exists()


def _check_and_commit(batch: ImportBatch, request: _Request, *, look_up: bool) -> ImportBatch:
    """Check the rows (looking their CCCDs up in the register when `look_up`), then commit them."""
    survey, survey_round, actor = request.survey, request.survey_round, request.actor
    progress = request.progress
    # The rules look up which of the file's people are registered; the commit reuses the answer,
    # which also names those recorded as having left (the commit updates them, the rules do not care).
    registered: set[str] = set()

    def registered_commune(cccds: list[str]) -> dict[str, str]:
        if not look_up:
            return {}
        found = registered_people(cccds)
        registered.update(cccd for cccd, _commune, _present in found)
        return present_communes(found)

    context = rule_context(
        reference_date=survey_round.reference_date,
        province_code=survey_round.province_code,
        commune_code=request.commune_code,
        labels=survey.labels,
        registered_commune=registered_commune,
    )
    validation = validate(survey.frame, context, cells_clean=True)
    if validation.errors.height and not look_up:
        # The officer gets every error of the file, those against the register too.
        return _check_and_commit(batch, request, look_up=True)
    if actor is not None and actor.commune_code:
        # Rows naming another commune are refused for a commune officer, whatever the file says.
        foreign = validation.rows.filter(pl.col("commune_code") != actor.commune_code)
        if foreign.height:
            raise PermissionError(_("Tệp có dòng thuộc xã khác; cán bộ xã chỉ nhập dữ liệu của xã mình"))
    summary = summarise(validation)
    summary["layout"] = str(survey.layout)
    progress.advance()
    if validation.problems.height:
        content = write_error_workbook(validation.problems, summary=summary, file_name=batch.file_name)
        batch.error_file.save(f"{Path(batch.file_name).stem}-loi.xlsx", ContentFile(content), save=False)
    if validation.errors.height and request.mode == ImportMode.ALL_OR_NOTHING:
        _finish(batch, BatchStatus.REFUSED, summary)
        raise ImportRefused(
            batch,
            _("Tệp bị từ chối: %(rows)s dòng có lỗi; không dòng nào được ghi.")
            % {"rows": summary["rows_with_errors"]},
        )
    progress.note(_("Ghi vào sổ đăng ký"))
    status = BatchStatus.PARTIAL if validation.errors.height else BatchStatus.COMMITTED
    try:
        commit_rows(
            validation.valid_rows,
            batch=batch,
            survey_round=survey_round,
            actor=actor,
            source=request.source,
            finish=lambda counts: _finish(batch, status, {**summary, **counts}),
            registered=frozenset(registered),
        )
    except RegisteredElsewhere as moved:
        if not look_up:
            # Someone of the commune's first survey is registered in another commune after all:
            # check the file again with the lookups, which say which rows.
            if batch.error_file:
                batch.error_file.delete(save=False)  # the check again writes it again
            progress.start(4, _("Kiểm tra lại %(rows)s dòng với sổ đăng ký") % {"rows": survey.frame.height})
            progress.advance()  # the file is read
            return _check_and_commit(batch, request, look_up=True)
        message = _(
            "%(count)s người trong tệp vừa được ghi vào sổ ở xã khác trong lúc kiểm tra tệp; không dòng "
            "nào được ghi. Nhập lại tệp để xem từng dòng."
        ) % {"count": len(moved.cccds)}
        _finish(batch, BatchStatus.REFUSED, {**summary, "file_error": message})
        raise ImportRefused(batch, message) from None
    progress.advance(2)
    return batch


def _finish(batch: ImportBatch, status: str, summary: dict) -> None:
    batch.status = status
    batch.summary = summary
    batch.finished_at = timezone.now()
    batch.save()
