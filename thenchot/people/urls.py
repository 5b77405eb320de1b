from django.urls import path

from thenchot.people import person, views

app_name = "people"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("pick/", views.staff_pick, name="pick_staff"),
    path("<str:code>/", views.staff_detail, name="detail"),
    path("<str:code>/edit/", views.staff_edit, name="edit"),
    path("<str:code>/transfer/", views.staff_transfer, name="transfer"),
    path("<str:code>/person/", person.person_page, name="person"),
]
