from django.urls import path

from .feeds import OrganisationActivityFeed

app_name = "activities"
urlpatterns = [
    path("feed/<int:page_id>/", OrganisationActivityFeed(), name="feed"),
]
