from django.urls import path

from . import views

app_name = "recyclebin"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:entry_id>/restore/", views.RestoreView.as_view(), name="restore"),
]
