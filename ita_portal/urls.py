from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from ita_portal import health, metrics


def favicon(request):
    # Browsers, feed readers and crawlers ask for /favicon.ico whatever the pages' <link rel=icon>.
    return HttpResponsePermanentRedirect(static_url("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    # For the load balancer (web/) and the operator; /metrics for Prometheus, not public.
    path("health/", health.HealthView.as_view(), name="health"),
    path("health/web/", health.WebHealthView.as_view(), name="health-web"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The reset e-mail is plain text (Django's default name for it ends in .html).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt"
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/", include("staff.urls")),
    path("api/v1/", include("api.urls")),
    path("search/", include("portal.search_urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
