import datetime
import json
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nhanluc.core.bulk import WriterBusy
from nhanluc.core.progress import ConsoleProgress, Progress
from nhanluc.registry.choices import ImportMode
from nhanluc.registry.imports import ImportRefused, get_or_create_round, import_survey_file


class Command(BaseCommand):
    help = (
        "Nhập phiếu thu thập thông tin cung lao động (Mẫu 01, hai dạng) hoặc mẫu phẳng XLSX/CSV / "
        "import a commune survey workbook (Mẫu 01, either shape) or the flat template"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--round", required=True, help="kỳ điều tra, ví dụ 2026 / survey round")
        parser.add_argument(
            "--date", help="thời điểm điều tra YYYY-MM-DD khi tạo kỳ mới / reference date of a new round"
        )
        parser.add_argument("--commune", default="", help="mã xã (5 chữ số) / commune code")
        parser.add_argument(
            "--valid-rows",
            action="store_true",
            help="ghi các dòng hợp lệ, trả lại dòng lỗi / commit the valid rows, return the others",
        )
        parser.add_argument("--quiet-progress", action="store_true")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path} / no such file")
        try:
            reference_date = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(
                f"--date {options['date']!r}: ngày phải viết YYYY-MM-DD / the date must be YYYY-MM-DD"
            ) from None
        try:
            survey_round = get_or_create_round(
                code=options["round"], province_code=settings.NHANLUC_PROVINCE, reference_date=reference_date
            )
        except ValueError as error:
            raise CommandError(f"{error} / a new round that is not a year needs --date") from None
        if reference_date and survey_round.reference_date != reference_date:
            raise CommandError(
                f"Kỳ {survey_round.code} đã có thời điểm điều tra {survey_round.reference_date:%d/%m/%Y}, "
                f"khác --date / round {survey_round.code} already has reference date "
                f"{survey_round.reference_date.isoformat()}"
            )
        # An error workbook left by an earlier run of this file would describe a file that has changed.
        path.with_name(f"{path.stem}-loi.xlsx").unlink(missing_ok=True)
        progress = Progress() if options["quiet_progress"] else ConsoleProgress()
        started = time.perf_counter()
        try:
            batch = import_survey_file(
                path=path,
                survey_round=survey_round,
                commune_code=options["commune"].strip(),
                mode=ImportMode.VALID_ROWS if options["valid_rows"] else ImportMode.ALL_OR_NOTHING,
                source="cli",
                progress=progress,
            )
        except ImportRefused as refused:
            progress.close()
            errors_path = self._copy_errors(refused.batch, path)
            summary = refused.batch.summary
            self.stderr.write(str(refused))
            if errors_path:
                self.stderr.write(f"Tệp lỗi / error workbook: {errors_path}")
            if summary.get("errors_by_category"):
                self.stderr.write(json.dumps(summary["errors_by_category"], ensure_ascii=False))
            raise CommandError("Tệp bị từ chối / file refused", returncode=1) from None
        except WriterBusy as busy:
            raise CommandError(str(busy), returncode=1) from None
        finally:
            progress.close()
        errors_path = self._copy_errors(batch, path)
        summary = batch.summary
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary['rows']} dòng, {summary['households']} hộ: +{summary['people_created']} người mới, "
                f"{summary['people_updated']} cập nhật, {summary['situations_opened']} tình trạng mới "
                f"({summary['situations_closed']} tình trạng cũ khép lại), "
                f"{summary['situations_updated']} tình trạng sửa trong kỳ, {summary['unchanged']} không đổi, "
                f"{summary['newer_round_kept']} giữ theo kỳ mới hơn, "
                f"{summary['addresses_to_review']} địa chỉ chờ xác định, "
                f"{summary['rows_with_errors']} dòng lỗi ({elapsed:.1f} s)"
            )
        )
        if errors_path:
            self.stdout.write(f"Tệp lỗi / error workbook: {errors_path}")

    def _copy_errors(self, batch, source: Path) -> Path | None:
        if not batch.error_file:
            return None
        target = source.with_name(f"{source.stem}-loi.xlsx")
        with batch.error_file.open("rb") as handle, target.open("wb") as out:
            shutil.copyfileobj(handle, out)
        return target
