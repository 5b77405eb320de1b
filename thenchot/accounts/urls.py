from django.urls import path

from thenchot.accounts import views, views_second_factor

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    # The one-time code after the password (accounts.second_factor), under /login/ so that a
    # session still waiting for its code reaches them.
    path("login/code/", views_second_factor.verify, name="second_factor"),
    path("login/code/setup/", views_second_factor.setup, name="second_factor_setup"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/change/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/done/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    # Before Django's own i18n/ routes (the app's pages come first in the root URLs): the same
    # address and form, plus the choice kept on the account.
    path("i18n/setlang/", views.set_language, name="set_language"),
]
