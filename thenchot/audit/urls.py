from django.urls import path

from thenchot.audit import views

app_name = "audit"
urlpatterns = [
    path("<str:label>/<str:pk>/", views.history, name="history"),
]
