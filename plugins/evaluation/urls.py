"""Public URLs (outside the page tree): voting links, statistics, published rankings."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("vote/<str:token>/", views.vote, name="vote"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:key>.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("ranking/<int:pk>/", views.ranking, name="ranking"),
]
