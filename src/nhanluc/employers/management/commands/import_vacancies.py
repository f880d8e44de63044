import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nhanluc.core.progress import ConsoleProgress, Progress
from nhanluc.core.spreadsheets import UnreadableFile
from nhanluc.employers.postings import SOURCES, PostingFormatError, detect_source
from nhanluc.employers.vacancy_import import import_vacancies

# How many texts not understood to print; the rest are counted.
SHOWN_NOT_UNDERSTOOD = 20


class Command(BaseCommand):
    help = (
        "Nhập tin tuyển dụng từ tệp của trang việc làm hoặc tệp mẫu / import vacancies from a job board export "
        "or the template"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            choices=SOURCES,
            help="nguồn của tệp; mặc định đoán từ tiêu đề cột / the file's source",
        )
        parser.add_argument("--quiet-progress", action="store_true")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path} / no such file")
        try:
            source = options["source"] or detect_source(path)
        except (PostingFormatError, UnreadableFile) as error:
            raise CommandError(f"{error} — dùng --source / use --source") from None
        progress = Progress() if options["quiet_progress"] else ConsoleProgress()
        started = time.perf_counter()
        try:
            result = import_vacancies(path, source=source, progress=progress)
        except (PostingFormatError, UnreadableFile) as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{path.name} ({source}): {result.rows:,} dòng / rows, {result.created:,} mới / new, "
            f"{result.updated:,} cập nhật / updated, {result.unchanged:,} không đổi / unchanged, {seconds:.1f} s ({result.rows / max(seconds, 1e-9):,.0f} dòng/s)"
        )
        self.stdout.write(
            f"Mức lương đọc được / salary texts understood: {result.salaries_understood:,}/{result.salary_texts:,} "
            f"= {100 * result.salary_share:.2f}% ({result.salaries_not_stated:,} tin không ghi lương / "
            f"postings stating no salary)"
        )
        self.stdout.write(
            f"Nơi làm việc đọc được / locations understood: {result.locations_understood:,}/{result.locations:,} "
            f"= {100 * result.location_share:.2f}%"
        )
        self.stdout.write(
            f"Mã nghề VSCO / coded to VSCO: {result.coded:,}; trong tỉnh / in the province: {result.in_province:,}"
        )
        for label, texts in (
            ("Mức lương chưa đọc được / salary texts not understood", result.salaries_not_understood),
            ("Nơi làm việc chưa đọc được / locations not understood", result.locations_not_understood),
        ):
            if texts:
                self.stdout.write(f"{label}:")
                ranked = sorted(texts.items(), key=lambda item: -item[1])
                for text, count in ranked[:SHOWN_NOT_UNDERSTOOD]:
                    self.stdout.write(f"  {count:>5} × {text}")
                if len(ranked) > SHOWN_NOT_UNDERSTOOD:
                    self.stdout.write(f"  … {len(ranked) - SHOWN_NOT_UNDERSTOOD} khác / more")
