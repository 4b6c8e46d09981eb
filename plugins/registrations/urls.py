from django.urls import path

from . import views

app_name = "registrations"
urlpatterns = [
    path("<slug:community_slug>/", views.community_index, name="index"),
    path("<slug:community_slug>/done/", views.done, name="done"),
    path("<slug:community_slug>/<slug:table_key>/", views.registration_form, name="form"),
]
