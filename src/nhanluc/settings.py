"""Settings of Nhân Lực, read from the environment (see .env.example for every variable)."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from nhanluc.core.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_province,
    env_str,
    parse_database_url,
    reference_data_dir,
)

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (or NHANLUC_HOME): var/ for the SQLite database and uploads lives under it.
BASE_DIR = Path(os.environ.get("NHANLUC_HOME") or PACKAGE_DIR.parent.parent).resolve()

DEBUG = env_bool("NHANLUC_DEBUG", False)
DEMO = env_bool("NHANLUC_DEMO", False)
TESTING = env_bool("NHANLUC_TESTING", False)

if DEBUG or DEMO or TESTING:
    SECRET_KEY = env_str("NHANLUC_SECRET_KEY", "insecure-demo-key-never-use-in-production")
else:
    SECRET_KEY = env_str("NHANLUC_SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise ConfigurationError(
            "NHANLUC_SECRET_KEY phải dài ít nhất 32 ký tự / must be at least 32 characters"
        )

ALLOWED_HOSTS = env_list("NHANLUC_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("NHANLUC_CSRF_TRUSTED_ORIGINS", [])

# The province this deployment serves (2025 scheme code); 31 = Thành phố Hải Phòng.
NHANLUC_PROVINCE = env_province("NHANLUC_PROVINCE", "31")
NHANLUC_REFERENCE_DATA = reference_data_dir("NHANLUC_REFERENCE_DATA", BASE_DIR)
NHANLUC_AGENCY_NAME = env_str("NHANLUC_AGENCY_NAME", "Sở Nội vụ")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "nhanluc.core",
    "nhanluc.geo",
    "nhanluc.catalogs",
    "nhanluc.registry",
    "nhanluc.employers",
    "nhanluc.indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nhanluc.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nhanluc.urls"
WSGI_APPLICATION = "nhanluc.wsgi.application"
ASGI_APPLICATION = "nhanluc.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "nhanluc.core.context_processors.shell",
                "nhanluc.registry.context_processors.navigation",
                "nhanluc.employers.context_processors.navigation",
                "nhanluc.indicators.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        "NHANLUC_DATABASE_URL",
        env_str("NHANLUC_DATABASE_URL", "sqlite:///var/nhanluc.sqlite3"),
        BASE_DIR,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        import tempfile

        # A file, not memory: a test runs the `nhanluc` command in a child process on the test database.
        # One per test run (process id), so runs side by side never share or delete each other's.
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"nhanluc-test-{os.getpid()}.sqlite3")
        }

# Failed logins per username (and per client address) within the window before further tries are refused.
NHANLUC_LOGIN_MAX_FAILURES = env_int("NHANLUC_LOGIN_MAX_FAILURES", 5)
NHANLUC_LOGIN_WINDOW_SECONDS = env_int("NHANLUC_LOGIN_WINDOW_SECONDS", 900)
# SQLite: how long a large write (an import, the generator) waits for the one before it to finish.
# A commune's file takes seconds; only a stuck writer makes the next one wait this long.
NHANLUC_BULK_WRITE_WAIT_SECONDS = env_int("NHANLUC_BULK_WRITE_WAIT_SECONDS", 900)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Our stylesheet and the npm packages `make static` copies into static/vendor.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

# Reminders to employers. Without an SMTP host (the demo, a laptop) mail is printed on the console.
EMAIL_HOST = env_str("NHANLUC_EMAIL_HOST", "")
EMAIL_PORT = env_int("NHANLUC_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("NHANLUC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("NHANLUC_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("NHANLUC_EMAIL_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("NHANLUC_EMAIL_FROM", "vieclam@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("NHANLUC_SECURE_COOKIES", not (DEBUG or DEMO or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "nhanluc.core.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Nhân Lực API",
    "DESCRIPTION": "Dữ liệu thị trường lao động cấp tỉnh / provincial labour market data",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: the product runs inside closed government networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("NHANLUC_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
