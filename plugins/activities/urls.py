from django.urls import path

from .feeds import OrganisationActivityFeed

app_name = "activities"
urlpatterns = [
    path("<int:page_id>/", OrganisationActivityFeed(), name="feed"),
]
