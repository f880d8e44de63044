from django.core.management.base import BaseCommand, CommandError

from nhanluc.catalogs.suggest import suggest_occupation
from nhanluc.core.formatting import format_number


class Command(BaseCommand):
    help = "Gợi ý mã nghề VSCO cấp 4 cho một chức danh / suggest VSCO level-4 codes for a job title"

    def add_arguments(self, parser):
        parser.add_argument("text", help='chức danh, ví dụ "thợ hàn"')
        parser.add_argument("--limit", type=int, default=5)

    def handle(self, *args, **options):
        suggestions = suggest_occupation(options["text"], limit=options["limit"])
        if not suggestions:
            raise CommandError(
                f"Không tìm được mã nghề cho {options['text']!r} (đã nạp danh mục chưa? nhanluc load-reference)"
            )
        for rank, suggestion in enumerate(suggestions, start=1):
            self.stdout.write(
                f"{rank}. {suggestion.code}  {format_number(suggestion.score, 2)}  {suggestion.name}"
                + (f"  ← {suggestion.matched_title}" if suggestion.matched_title != suggestion.name else "")
            )
