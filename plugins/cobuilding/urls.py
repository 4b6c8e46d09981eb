"""Public URLs under /gongshi/: a community's 公示 board, its needs form, their posters."""

from django.urls import path

from . import public

app_name = "cobuilding_public"
urlpatterns = [
    path("<slug:slug>/", public.board, name="board"),
    path("<slug:slug>/submit/", public.submit_need, name="submit_need"),
    # Printable A4 posters with the QR code of the board and of the needs form.
    path("<slug:slug>/poster/", public.board_poster, name="board_poster"),
    path("<slug:slug>/submit/poster/", public.need_form_poster, name="need_form_poster"),
]
