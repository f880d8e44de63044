from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nhanluc.core.progress import ConsoleProgress
from nhanluc.indicators.periods import Period, PeriodInvalid, parse_period
from nhanluc.indicators.reports import ReportRefused, write_report


class Command(BaseCommand):
    help = (
        "Lập báo cáo Mẫu 04 hoặc báo cáo tiến độ thực hiện chỉ tiêu (XLSX, Word, PDF) / "
        "write the Mẫu 04 report or the progress report (XLSX, Word, PDF)"
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        mau04 = kinds.add_parser(
            "mau04", help="Báo cáo thông tin thị trường lao động năm (TT 01/2022, Mẫu 04)"
        )
        mau04.add_argument("--year", type=int, required=True)
        mau04.add_argument("--out", type=Path, required=True, help="tệp .xlsx, .docx hoặc .pdf")
        progress = kinds.add_parser("progress", help="Báo cáo kết quả thực hiện chỉ tiêu theo kỳ")
        progress.add_argument("--period", required=True, help="2026-H1, 2026, 2026-Q3, …")
        progress.add_argument("--out", type=Path, required=True, help="tệp .docx, .xlsx hoặc .pdf")

    def handle(self, *args, **options):
        try:
            period = (
                Period(options["year"], "Y", 1)
                if options["kind"] == "mau04"
                else parse_period(options["period"])
            )
            path = write_report(
                kind=options["kind"], period=period, out=options["out"], progress=ConsoleProgress()
            )
        except (PeriodInvalid, ReportRefused) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã ghi / written: {path}"))
