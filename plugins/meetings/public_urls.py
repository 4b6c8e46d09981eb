"""Public meeting URLs under /huiyi/: a meeting's poster and its sign-in (扫码签到)."""

from django.urls import path

from . import public

app_name = "meetings_public"
urlpatterns = [
    path("<str:page_id>/poster/", public.meeting_poster, name="poster"),
    path("qiandao/<str:token>/", public.sign_in, name="sign_in"),
    path("qiandao/<str:token>/poster/", public.sign_in_poster, name="sign_in_poster"),
]
