from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nhanluc.core.choices import AuditAction, Role
from nhanluc.core.models import User
from nhanluc.core.services import record_event

DEMO_PASSWORD = "nhanluc-demo-2026"

# username, role, full name; commune officers get the commune given on the command line.
DEMO_USERS = (
    ("quantri", Role.PROVINCE_ADMIN, "Nguyễn Văn Quản"),
    ("phantich", Role.PROVINCE_ANALYST, "Trần Thị Phân"),
    ("canboxa", Role.COMMUNE_OFFICER, "Lê Văn Xã"),
    ("trungtam", Role.CENTRE_STAFF, "Phạm Thị Tâm"),
    ("truongnghe", Role.INSTITUTION_STAFF, "Hoàng Văn Nghề"),
    ("doanhnghiep", Role.EMPLOYER, "Vũ Thị Doanh"),
    ("nguoitimviec", Role.JOB_SEEKER, "Đặng Văn Tìm"),
    ("coquan", Role.AGENCY, "Cơ quan Thống kê"),
)


class Command(BaseCommand):
    help = "Tạo một tài khoản dùng thử cho mỗi vai trò / create one demo account per role"

    def add_arguments(self, parser):
        parser.add_argument(
            "--commune", default="10546", help="mã xã của cán bộ xã (mặc định Phường Chí Linh)"
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError(
                "Tài khoản dùng thử chỉ tạo khi NHANLUC_DEMO=1 / demo accounts only with NHANLUC_DEMO=1 "
                "(their password is public)"
            )
        province = settings.NHANLUC_PROVINCE
        lines = []
        for username, role, full_name in DEMO_USERS:
            last, _sep, first = full_name.rpartition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "role": role,
                    "province_code": province,
                    "first_name": first,
                    "last_name": last,
                    "commune_code": options["commune"] if role == Role.COMMUNE_OFFICER else "",
                    "is_staff": role == Role.PROVINCE_ADMIN,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                record_event(
                    actor=None,
                    action=AuditAction.CREATE,
                    object_type="core.user",
                    object_id=user.pk,
                    object_repr=username,
                    changes={"role": [None, role]},
                    source="cli:demo",
                    province_code=province,
                )
            lines.append(f"  {username:<14} {DEMO_PASSWORD}   {role.label}")
        self.stdout.write("Tài khoản dùng thử / demo logins (tên đăng nhập, mật khẩu, vai trò):")
        self.stdout.write("\n".join(lines))
