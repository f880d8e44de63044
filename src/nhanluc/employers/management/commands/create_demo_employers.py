from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nhanluc.core.choices import Role
from nhanluc.core.models import User
from nhanluc.core.progress import ConsoleProgress
from nhanluc.employers.choices import AccountStatus
from nhanluc.employers.models import Employer, EmployerAccount, Vacancy
from nhanluc.employers.services import find_employer, register_employer
from nhanluc.employers.vacancy_import import import_vacancies

# Real tax codes that pass the check digit (domain brief §6); the names are made up for the demo.
DEMO_EMPLOYERS = (
    ("0100109106", "Công ty Cổ phần Cơ khí Chí Linh", "10546", "2", "cp", "KCN Cộng Hòa"),
    ("0301442379", "Công ty TNHH May mặc Hải Dương", "10507", "3", "tnhh", "KCN Đại An"),
    ("0301448243", "Công ty TNHH Logistics Cảng Đình Vũ", "11329", "2", "tnhh", "KCN Đình Vũ"),
)
# A job board's export, so that the vacancy pages and the demand views have something to show.
DEMO_POSTINGS = "careerviet_jobs_2025-10.csv"


class Command(BaseCommand):
    help = (
        "Tạo vài đơn vị sử dụng lao động, gắn tài khoản dùng thử 'doanhnghiep' và nhập tin tuyển dụng thật / "
        "create demo employers, link the demo employer account, import real postings"
    )

    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("Chỉ dùng khi NHANLUC_DEMO=1 / demo data only with NHANLUC_DEMO=1")
        province = settings.NHANLUC_PROVINCE
        with transaction.atomic():
            for tax_code, name, commune, ownership, legal_form, zone in DEMO_EMPLOYERS:
                if find_employer(tax_code) is None:
                    register_employer(
                        data={
                            "tax_code": tax_code,
                            "name": name,
                            "commune_code": commune,
                            "ownership": ownership,
                            "legal_form": legal_form,
                            "industrial_zone": zone,
                        },
                        province_code=province,
                        source="cli:demo",
                    )
            first = Employer.objects.get(tax_code=DEMO_EMPLOYERS[0][0])
            user = User.objects.filter(username="doanhnghiep", role=Role.EMPLOYER).first()
            if user is not None:
                EmployerAccount.objects.get_or_create(
                    user=user,
                    defaults={"employer": first, "province_code": province, "status": AccountStatus.APPROVED},
                )
                user.employer_id = first.pk
                user.save(update_fields=["employer_id"])
        if not Vacancy.objects.exists():
            path = Path(settings.NHANLUC_REFERENCE_DATA) / "postings" / DEMO_POSTINGS
            progress = ConsoleProgress()
            result = import_vacancies(path, source="careerviet", progress=progress, audit_source="cli:demo")
            progress.close()
            self.stdout.write(f"{result.rows:,} tin tuyển dụng / postings ({path.name})")
        self.stdout.write(
            f"Đơn vị dùng thử / demo employers: {len(DEMO_EMPLOYERS)}; 'doanhnghiep' → {first.name}"
        )
