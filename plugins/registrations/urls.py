from django.urls import path

from . import views

app_name = "registrations"
urlpatterns = [
    path("<slug:community_slug>/", views.community_index, name="index"),
    path("<slug:community_slug>/done/", views.done, name="done"),
    # Printable A4 posters with the QR code of the 报到登记 page and of each form.
    path("<slug:community_slug>/poster/", views.index_poster, name="index_poster"),
    path("<slug:community_slug>/<slug:table_key>/poster/", views.form_poster, name="form_poster"),
    path("<slug:community_slug>/<slug:table_key>/", views.registration_form, name="form"),
]
