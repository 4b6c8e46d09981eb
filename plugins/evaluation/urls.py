"""Public URLs (outside the page tree): voting links, statistics, 大屏, published rankings."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("vote/<str:token>/", views.vote, name="vote"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:key>.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("ranking/<int:pk>/", views.ranking, name="ranking"),
    # 大屏 of a district or street (its page id; anything else is a 404, never a 500).
    path("screen/<str:org>/", views.screen, name="screen"),
    path("screen/<str:org>/data/", views.screen_json, name="screen_data"),
]
