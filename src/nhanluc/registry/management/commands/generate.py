import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nhanluc.core.bulk import WriterBusy
from nhanluc.core.progress import ConsoleProgress
from nhanluc.geo.models import AdminUnit
from nhanluc.registry.generate import generate_population, inject_errors, store_population, write_workbooks
from nhanluc.registry.imports import get_or_create_round
from nhanluc.registry.models import Person


class Command(BaseCommand):
    help = (
        "Tạo dân số giả lập theo số liệu công bố (ghi thẳng vào sổ hoặc thành phiếu Mẫu 01 theo xã) / "
        "generate a calibrated synthetic province (into the register, or as Mẫu 01 workbooks per commune)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", default="31")
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--round", default="2026")
        parser.add_argument(
            "--workbooks",
            type=Path,
            help="thư mục ghi phiếu Mẫu 01 thay vì ghi vào sổ / folder for workbooks",
        )
        parser.add_argument(
            "--error-rate", type=float, default=0.0, help="tỷ lệ dòng có lỗi cố ý, ví dụ 0.03"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="bỏ qua khi sổ đã có người / skip when the register is not empty",
        )
        parser.add_argument("--shape", choices=["mau01_ticks", "mau01_codes"], default="mau01_ticks")

    def handle(self, *args, **options):
        province = AdminUnit.objects.current().provinces().filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"Không có tỉnh mã {options['province']} (chạy nhanluc load-reference trước)")
        if (
            options["if_empty"]
            and not options["workbooks"]
            and Person.objects.filter(province_code=province.code).exists()
        ):
            self.stdout.write(
                "Sổ đăng ký đã có dữ liệu; không tạo thêm / the register is not empty; nothing generated"
            )
            return
        survey_round = get_or_create_round(code=options["round"], province_code=province.code)
        started = time.perf_counter()
        progress = ConsoleProgress()
        frame = generate_population(
            province_code=province.code,
            people=options["people"],
            seed=options["seed"],
            reference_date=survey_round.reference_date,
        )
        generated = time.perf_counter() - started
        if options["workbooks"]:
            if options["error_rate"]:
                frame = inject_errors(frame, rate=options["error_rate"], seed=options["seed"])
            paths = write_workbooks(
                frame,
                options["workbooks"],
                province_name=province.name,
                round_code=survey_round.code,
                shape=options["shape"],
                progress=progress,
            )
            progress.close()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{frame.height} người, {len(paths)} tệp trong {options['workbooks']} ({time.perf_counter() - started:.1f} s)"
                )
            )
            return
        if Person.objects.filter(cccd__in=frame["cccd"].head(1000).to_list()).exists():
            raise CommandError(
                "Sổ đã có người của lần tạo này (cùng --seed); dùng seed khác hoặc cơ sở dữ liệu trống"
            )
        progress.start(3, "Ghi vào sổ đăng ký")
        try:
            counts = store_population(frame, survey_round=survey_round, progress=progress)
        except WriterBusy as busy:
            raise CommandError(str(busy)) from None
        finally:
            progress.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['people']} người, {counts['households']} hộ ở {frame['commune_code'].n_unique()} xã "
                f"(tạo {generated:.1f} s, tổng {time.perf_counter() - started:.1f} s)"
            )
        )
