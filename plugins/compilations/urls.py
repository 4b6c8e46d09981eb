from django.urls import path

from . import views

app_name = "compilations"
urlpatterns = [
    path("<int:page_id>/pull-cases/", views.pull_cases_view, name="pull_cases"),
    path("<int:page_id>/export/<str:fmt>/", views.export_view, name="export"),
]
