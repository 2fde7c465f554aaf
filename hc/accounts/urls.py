"""Routes of the accounts app, mounted under /accounts/ (web spec §2)."""

from __future__ import annotations

from django.urls import path

from hc.accounts import views_unsubscribe
from hc.accounts.views import auth, profile, two_factor

urlpatterns = [
    # Sign-up, login and logout.
    path("login/", auth.login, name="hc-login"),
    path("logout/", auth.logout, name="hc-logout"),
    path("signup/csrf/", auth.signup_csrf, name="hc-signup-csrf"),
    path("signup/", auth.signup, name="hc-signup"),
    path("login_link_sent/", auth.login_link_sent, name="hc-login-link-sent"),
    path("check_token/<slug:username>/<str:token>/", auth.check_token, name="hc-check-token"),
    # Second factors at login, and passkey login.
    path("login/two_factor/", two_factor.login_webauthn, name="hc-login-webauthn"),
    path("login/two_factor/totp/", two_factor.login_totp, name="hc-login-totp"),
    path("login/passkey/", two_factor.login_passkey, name="hc-login-passkey"),
    # Account settings.
    path("profile/", profile.profile, name="hc-profile"),
    path("profile/appearance/", profile.appearance, name="hc-appearance"),
    path("profile/notifications/", profile.notifications, name="hc-notifications"),
    # Sensitive changes, all behind sudo mode.
    path("set_password/", auth.set_password, name="hc-set-password"),
    path("change_email/", auth.change_email, name="hc-change-email"),
    path("change_email/<str:signed>/", auth.change_email_verify, name="hc-change-email-verify"),
    path("close/", auth.close, name="hc-close"),
    path("two_factor/webauthn/", two_factor.add_webauthn, name="hc-add-webauthn"),
    path("two_factor/totp/", two_factor.add_totp, name="hc-add-totp"),
    path("two_factor/totp/remove/", two_factor.remove_totp, name="hc-remove-totp"),
    path(
        "two_factor/<uuid:code>/remove/", two_factor.remove_credential, name="hc-remove-credential"
    ),
    path(
        "unsubscribe_reports/<str:signed>/",
        views_unsubscribe.unsubscribe_reports,
        name="hc-unsubscribe-reports",
    ),
]
