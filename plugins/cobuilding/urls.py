"""Public URLs under /gongshi/: a community's 公示 board and its needs form."""

from django.urls import path

from . import public

app_name = "cobuilding_public"
urlpatterns = [
    path("<slug:slug>/", public.board, name="board"),
    path("<slug:slug>/submit/", public.submit_need, name="submit_need"),
]
