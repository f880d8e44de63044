import json
import time

from django.core.management.base import BaseCommand, CommandError

from nhanluc.catalogs.services import ReferenceDataMissing
from nhanluc.catalogs.tasks import load_reference
from nhanluc.core.progress import ConsoleProgress, Progress


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính và danh mục (chạy lại không thay đổi gì) / load geography and catalogs (idempotent)"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        progress = Progress() if options["quiet_progress"] else ConsoleProgress()
        started = time.perf_counter()
        try:
            result = load_reference(source="cli", progress=progress)
        except ReferenceDataMissing as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
        elapsed = time.perf_counter() - started
        if options["verbosity"] > 1:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        units = result["geography"]["units"]
        successions = result["geography"]["successions"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Đơn vị hành chính: +{units['created']} mới, {units['updated']} cập nhật, {units['unchanged']} giữ nguyên; "
                f"chuyển đổi: +{successions['created']} mới, {successions['updated']} cập nhật, "
                f"{successions['deleted']} xóa; danh mục đã nạp ({elapsed:.1f} s)"
            )
        )
