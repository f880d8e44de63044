import factory
from django.conf import settings

from nhanluc.core.models import User

TEST_PASSWORD = "mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    first_name = "An"
    last_name = "Nguyễn Văn"
    role = "province_admin"
    province_code = factory.LazyFunction(lambda: settings.NHANLUC_PROVINCE)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
