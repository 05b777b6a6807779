"""Production settings. Every value that differs between deployments comes from the
environment, read by the strict helpers of config.env (a missing value stops start-up)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL speed-up; on the SQLite demo the same index
# holds its key columns only, which is what this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "toit.users",
    "toit.organisations",
    "toit.audit",
    "toit.territory",
    "toit.metrics",
    "toit.plans",
    "toit.observatory",
    "toit.steering",
    "toit.eviction",
    "toit.dwellings",
    "toit.accommodation",
    "toit.linkage",
    "toit.priority_access",
    "toit.imports",
    "toit.www",
    "toit.api",
    "toit.demo",
    "toit.rowsecurity",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Issue 18: bodies refused on their announced length, before the CSRF check reads them.
    "toit.www.body_limit.BodyLimitMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "toit.www.sessions.RefreshSessionMiddleware",  # inactivity timeout, one write a minute at most
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An htmx call refused for want of a session sends the page to login, not the login page
    # into a section (it sees the redirects of the two below).
    "toit.www.htmx_login.HtmxLoginRedirectMiddleware",
    # Issue 10: 403 and 404 on a nominative URL naming a record are logged.
    "toit.audit.middleware.RefusedAccessLogMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "toit.www.auth.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Issue 14: the rest of the request reads the nominative tables narrowed to its user's
    # départements (PostgreSQL row-level security, toit.rowsecurity).
    "toit.rowsecurity.middleware.RowSecurityMiddleware",
    # Change history (django-simple-history): each historical row names the request's user.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "toit" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "toit.www.context_processors.brand",
            ],
        },
    },
]

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Second factor (TOTP) for every role that may read nominative data.
TOIT_REQUIRE_2FA = env_bool("TOIT_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = env_str("TOIT_SERVICE_TITLE", "Toit")
# Login throttling: after 5 failures for a username from one address, one hour's lock.
AXES_FAILURE_LIMIT = env_int("TOIT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# ProConnect (OpenID Connect), optional: on when a client id is configured.
PROCONNECT_ENABLED = bool(env_str("TOIT_PROCONNECT_CLIENT_ID", ""))
if PROCONNECT_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("toit.www.auth.proconnect.ProConnectBackend")
    _proconnect = env_str("TOIT_PROCONNECT_URL").rstrip("/")  # e.g. https://auth.agentconnect.gouv.fr/api/v2
    OIDC_RP_CLIENT_ID = env_str("TOIT_PROCONNECT_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("TOIT_PROCONNECT_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = "openid email given_name usual_name siret"
    OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_proconnect}/authorize"
    OIDC_OP_TOKEN_ENDPOINT = f"{_proconnect}/token"
    OIDC_OP_USER_ENDPOINT = f"{_proconnect}/userinfo"
    OIDC_OP_JWKS_ENDPOINT = f"{_proconnect}/jwks"
    OIDC_OP_LOGOUT_ENDPOINT = f"{_proconnect}/session/end"
    OIDC_CREATE_USER = False
    OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1"}
    LOGIN_REDIRECT_URL_FAILURE = "/connexion/"
# The client address of the access log and of the login lockout: X-Forwarded-For is read
# only from these proxies (addresses or networks, comma-separated), issue 10.
TOIT_TRUSTED_PROXIES = env_list("TOIT_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "toit.audit.log.client_ip"
# E-mail (issue 10: password reset and activation links, break-glass notices, import alerts).
MAILERS = {
    "default": {
        "BACKEND": env_str("TOIT_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {"host": env_str("TOIT_EMAIL_HOST", "localhost"), "port": env_int("TOIT_EMAIL_PORT", 25)},
    }
}
DEFAULT_FROM_EMAIL = env_str("TOIT_EMAIL_FROM", "Toit <ne-pas-repondre@toit.invalid>")
ADMINS = env_list("TOIT_ADMIN_EMAILS", [])
# Change history (django-simple-history): the reason of a correction as text. Its default
# varchar(100) refused, with a database error, the reasons of up to 500 characters that the
# correction forms accept.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at install time (package.json + lock) and are served
# by Django from node_modules: nothing is committed, nothing loads from a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/dsfr-chart", NODE_MODULES / "@gouvfr" / "dsfr-chart" / "dist"),
    BASE_DIR / "toit" / "static",
]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Files users upload (committee minutes, study deliverables): outside STATIC_ROOT and never
# served by URL, only through views that check permissions.
TOIT_PRIVATE_MEDIA_ROOT = Path(env_str("TOIT_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
TOIT_ATTACHMENT_MAX_BYTES = env_int("TOIT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# Statistical disclosure control: a count below this at commune or EPCI level never leaves
# Toit (reports, exports, open data); see toit/observatory/disclosure.py.
TOIT_DISCLOSURE_THRESHOLD = env_int("TOIT_DISCLOSURE_THRESHOLD", 11)

# Security. Strict CSP with nonces: no inline script or style handler is allowed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("TOIT_SESSION_SECONDS", 60 * 60)
# Inactivity timeout rather than absolute lifetime: toit.www.sessions refreshes the expiry at
# most once a minute instead of SESSION_SAVE_EVERY_REQUEST's write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Brand: the DSFR is reserved to State services. A département-run deployment swaps
# these values (and only these) to change the header, the footer and the operator.
TOIT_BRAND = {
    "use_state_brand": env_bool("TOIT_BRAND_STATE", True),
    "brand_html": env_str("TOIT_BRAND_HTML", "République<br>française"),
    "service_title": env_str("TOIT_SERVICE_TITLE", "Toit"),
    "service_tagline": env_str(
        "TOIT_SERVICE_TAGLINE",
        "Plan départemental d'action pour le logement et l'hébergement des personnes défavorisées",
    ),
    "operator_name": env_str("TOIT_OPERATOR_NAME", "Direction départementale des territoires"),
    "operator_logo": env_str("TOIT_OPERATOR_LOGO", ""),
    "footer_description": env_str(
        "TOIT_FOOTER_DESCRIPTION",
        "Toit, l'outil partagé du plan départemental d'action pour le logement des personnes défavorisées.",
    ),
}
TOIT_DEMO_ALLOWED = False
# The demo clock (docs/demo.md): a date the whole demo process takes for « today ». Read by
# the development settings only (config/settings/dev.py takes the variable out before these
# settings are read); anywhere else its presence stops the start, loudly.
TOIT_DEMO_TODAY = None
if env_str("TOIT_DEMO_TODAY", "").strip():
    raise ImproperlyConfigured(
        "TOIT_DEMO_TODAY (horloge de démonstration) n'est permis qu'avec les réglages de développement "
        "(DJANGO_SETTINGS_MODULE=config.settings.dev) : retirez-le de l'environnement de ce serveur."
    )
# Access log retention (days): one year, then the scheduled purge (toit_audit purge).
TOIT_ACCESS_LOG_DAYS = env_int("TOIT_ACCESS_LOG_DAYS", 365)

# Defence in depth (issue 14): PostgreSQL row-level security on the nominative tables, keyed
# on the département. Requests switch to this role (no login; made by the migration
# rowsecurity 0001, or beforehand by the DBA: docs/deployment.md) with their user's
# départements; a query that forgets its filter returns nothing from another département.
# No effect on SQLite. Turning it off is for measuring its cost (bench/national.py) only.
TOIT_ROW_SECURITY = env_bool("TOIT_ROW_SECURITY", True)
TOIT_ROW_SECURITY_ROLE = env_str("TOIT_ROW_SECURITY_ROLE", "toit_request")

# Eviction prevention: the préfecture of each département is an organisation of that
# département flagged is_prefecture (declared by the plan file), not a setting (issue 14).
# Report imports (issue 10): refused past this many rows in one file for one organisation
# (the CAF's monthly file of a département is a few thousand rows); per-organisation
# overrides as CODE=N. An import whose rows match no file at this share or more, over at
# least TOIT_IMPORT_UNMATCHED_ALERT_MIN rows, alerts the administrators (an identity sweep).
TOIT_REPORT_IMPORT_MAX_ROWS = env_int("TOIT_REPORT_IMPORT_MAX_ROWS", 20_000)
TOIT_REPORT_IMPORT_MAX_ROWS_BY_ORGANISATION = dict(
    item.split("=", 1) for item in env_list("TOIT_REPORT_IMPORT_MAX_ROWS_BY_ORGANISATION", []) if "=" in item
)
TOIT_IMPORT_UNMATCHED_ALERT_MIN = env_int("TOIT_IMPORT_UNMATCHED_ALERT_MIN", 200)
TOIT_IMPORT_UNMATCHED_ALERT_SHARE = env_int("TOIT_IMPORT_UNMATCHED_ALERT_SHARE", 90)
# A repayment plan is "rompu" once this many instalments are unpaid (charte de prévention).
TOIT_REPAYMENT_MISSED_LIMIT = env_int("TOIT_REPAYMENT_MISSED_LIMIT", 2)
# Retention (RGPD): a household's files are anonymised this many months after their last
# dated activity (CNIL reference framework for social support: two years after the last
# contact). Run daily: manage.py toit_retention anonymise (docs/rgpd.md).
TOIT_RETENTION_MONTHS = env_int("TOIT_RETENTION_MONTHS", 24)
# The dwelling register's owners, after their last case or decision ends (docs/rgpd.md).
TOIT_DWELLINGS_RETENTION_MONTHS = env_int("TOIT_DWELLINGS_RETENTION_MONTHS", 24)
# Priority-access records (demands, DALO appeals, follow-ups), after their case is closed;
# links of the cross-matching to them go with them (docs/rgpd.md).
TOIT_PRIORITY_ACCESS_RETENTION_MONTHS = env_int("TOIT_PRIORITY_ACCESS_RETENTION_MONTHS", 24)

# Partner API (toit.api, docs/api.md): organisation API keys, JSON in and out, errors as
# RFC 9457 problem details in French, throttled per key in the default cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "toit.api.authentication.ApiKeyAuthentication",
        "toit.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["toit.api.permissions.ScopedAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["toit.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env_str("TOIT_API_RATE", "120/min")},
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "toit.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "toit.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_SCHEMA_CLASS": "toit.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "toit.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Toit",
    "DESCRIPTION": (
        "L'API des partenaires du plan départemental d'action pour le logement des personnes défavorisées : "
        "déposer des signalements d'impayés, lire les dossiers de prévention des expulsions dont l'organisation "
        "est partie prenante et y ajouter des événements, lire les indicateurs agrégés, les rapports publiés et "
        "les imports de fichiers.\n\n"
        "**Authentification** : une clé d'API par organisation, créée par l'administrateur de Toit, envoyée dans "
        "l'en-tête `Authorization: Bearer toit_<préfixe>_<secret>`. Chaque clé porte des permissions (scopes) ; "
        "elle agit au nom de son organisation et voit ce que voient ses agents sur les pages de Toit.\n\n"
        "**Erreurs** : RFC 9457 (`application/problem+json`), en français, avec le champ ou le paramètre en "
        "cause.\n\n"
        "**Limites** : un nombre de requêtes par minute et par clé (réponse 429 et en-tête `Retry-After` au-delà) ; "
        "listes paginées par `limit` (100 au plus) et `offset`.\n\n"
        "**Données personnelles** : chaque lecture de données nominatives est inscrite au journal des accès."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReportSourceEnum": "toit.eviction.enums.ReportSource",
        "ValueSourceEnum": "toit.api.serializers.observatory.SOURCES",
        "StageEnum": "toit.eviction.enums.Stage",
        "ParticipantReasonEnum": "toit.eviction.enums.ParticipantReason",
        "DwellingStageEnum": "toit.dwellings.enums.Stage",
        "DwellingTenureEnum": "toit.dwellings.enums.Tenure",
        "LinkStatusEnum": "toit.linkage.enums.LinkStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "toit.api.schema.strip_code_docstrings",
    ],
    "TAGS": [
        {"name": "Clé", "description": "Vérifier la clé utilisée."},
        {"name": "Signalements", "description": "Signalements d'impayés de loyer (fiche 1A)."},
        {"name": "Dossiers", "description": "Dossiers de prévention des expulsions et leur chronologie."},
        {"name": "Observatoire", "description": "Indicateurs agrégés et rapports publiés."},
        {"name": "Imports", "description": "Imports de fichiers et rapports d'erreurs."},
        {
            "name": "Logements",
            "description": "Registre des logements et habitat indigne (fiches 2A à 2C), pour le pôle.",
        },
        {
            "name": "Accès prioritaire",
            "description": "Fiches des fichiers partenaires de l'accès prioritaire (fiches 3A à 3D), pour "
            "l'organisation qui détient le fichier.",
        },
        {
            "name": "Rapprochement des fichiers",
            "description": "Rapprochements des fichiers partenaires (fiche 3A) : comptes, liens à vérifier dont "
            "l'organisation voit les deux fiches, décisions.",
        },
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TOIT_LOG_LEVEL", "INFO")},
    # django-axes logs every successful login at INFO; failures and lockouts stay visible.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Issue 18: JSON bodies parsed within limits (size, depth, NUL); requests with no usable key
# throttled by address. Counts are shared by every process (toit.api.throttling).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["toit.api.parsers.JSONParser"]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_anonyme"] = env_str("TOIT_API_ANONYMOUS_RATE", "30/min")
# Stateless web tier: the cache (API throttling) is shared by every server through the
# database, like sessions and tasks, so that N servers behind a proxy share one PostgreSQL
# (docs/deployment.md). Its table is made by `manage.py createcachetable` at deployment.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "toit_cache"}}
# Notifications to the référents of files (toit.notifications): in Toit, and a daily e-mail
# digest (manage.py toit_notifications quotidien, to schedule each morning). E-mail settings
# (MAILERS, DEFAULT_FROM_EMAIL) are above.
INSTALLED_APPS.append("toit.notifications")
# The address of the site, for the links of the e-mail digest (e.g. https://toit.example.fr).
TOIT_SITE_URL = env_str("TOIT_SITE_URL", "")
