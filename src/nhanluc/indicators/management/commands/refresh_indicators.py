import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nhanluc.core.progress import ConsoleProgress
from nhanluc.indicators.periods import PeriodInvalid, parse_period
from nhanluc.indicators.services import refresh_figures


class Command(BaseCommand):
    help = (
        "Tính lại các chỉ tiêu từ cơ sở dữ liệu cho một hoặc nhiều kỳ / "
        "recompute the computed indicators of one or more periods"
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", required=True, help="2026, 2026-H1, 2026-Q2, …")
        parser.add_argument("--province", default=settings.NHANLUC_PROVINCE)

    def handle(self, *args, **options):
        try:
            periods = [parse_period(text) for text in options["period"]]
        except PeriodInvalid as error:
            raise CommandError(str(error)) from None
        for period in periods:
            started = time.perf_counter()
            count = refresh_figures(
                province_code=options["province"], period=period, progress=ConsoleProgress()
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{period.code}: {count} số liệu / figures ({time.perf_counter() - started:.1f} s)"
                )
            )
