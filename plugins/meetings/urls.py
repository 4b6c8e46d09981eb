from django.urls import path

from .ical import meetings_ical

app_name = "meetings"
urlpatterns = [
    path("<int:page_id>/ical/", meetings_ical, name="ical"),
]
