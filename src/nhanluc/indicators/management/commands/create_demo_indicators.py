import math

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nhanluc.core.models import User
from nhanluc.indicators import services
from nhanluc.indicators.models import DataValue
from nhanluc.indicators.periods import Period

# Synthetic history for the demo province (100 000 people, ~70 000 in the labour force), so that the
# dashboard, the progress report and the forecasts have earlier years to compare with. The yearly
# levels follow the published shape of provincial reports, scaled to the demo's size: jobs created
# ≈ 4 % of the labour force a year (Vĩnh Long 2014: 28 640 jobs), of which ≈ 45 % women, ≈ 12 % through
# job-creation loans and ≈ 3 % overseas contract work (Vĩnh Long H1-2023: 850 of 12 900); a slow first
# quarter (Tết). Not real figures: labelled "số liệu minh họa" in every comment.
YEARS = (2023, 2024, 2025)
JOBS_PER_YEAR = {2023: 2650, 2024: 2760, 2025: 2880}
ENROLMENTS_PER_YEAR = {2023: 1900, 2024: 1960, 2025: 2030}
POVERTY_RATE = {2023: "3.10", 2024: "2.62", 2025: "2.18"}
MONTH_SHAPE = [0.055, 0.045, 0.075, 0.085, 0.09, 0.095, 0.09, 0.085, 0.09, 0.095, 0.095, 0.1]
NOTE = "Số liệu minh họa (demo)"


class Command(BaseCommand):
    help = (
        "Tạo số liệu báo cáo minh họa các năm trước (giải quyết việc làm, tuyển sinh, tỷ lệ hộ nghèo) / "
        "create illustrative reported figures for earlier years"
    )

    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("Chỉ dùng khi NHANLUC_DEMO=1 / demo data only with NHANLUC_DEMO=1")
        province = settings.NHANLUC_PROVINCE
        if DataValue.objects.filter(unit_code=province, period_code__startswith=str(YEARS[0])).exists():
            self.stdout.write("Đã có số liệu minh họa / illustrative figures already there")
            return
        analyst = User.objects.filter(username="phantich").first()
        if analyst is None:
            raise CommandError("Chạy nhanluc create-demo-users trước / run create-demo-users first")
        values = []
        with transaction.atomic():
            for year in YEARS:
                for month, share in enumerate(MONTH_SHAPE, start=1):
                    wobble = 1 + 0.04 * math.sin(year * 7 + month)
                    jobs = round(JOBS_PER_YEAR[year] * share * wobble)
                    period = Period(year, "M", month).code
                    for breakdown, amount in (
                        ("", jobs),
                        ("part:female", round(jobs * 0.45)),
                        ("part:loan", round(jobs * 0.12)),
                        ("part:overseas", round(jobs * 0.03)),
                    ):
                        values.append(self.enter("jobs_created", period, amount, breakdown, analyst))
                    enrolments = round(ENROLMENTS_PER_YEAR[year] * share * wobble)
                    values.append(self.enter("training_enrolments", period, enrolments, "", analyst))
                values.append(self.enter("poverty_rate", str(year), POVERTY_RATE[year], "", analyst))
            services.approve_data_values(data_values=values, actor=analyst)
        self.stdout.write(
            f"{len(values)} số liệu minh họa đã duyệt / illustrative figures approved ({YEARS[0]}–{YEARS[-1]})"
        )

    def enter(self, code, period, value, breakdown, analyst):
        return services.save_data_value(
            indicator_code=code,
            unit_code=settings.NHANLUC_PROVINCE,
            period_code=period,
            value=value,
            breakdown=breakdown,
            comment=NOTE,
            actor=analyst,
            source="demo",
        )
