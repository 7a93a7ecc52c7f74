from django.urls import path

from . import views
from .feeds import LiveStoryFeed

app_name = "live"

urlpatterns = [
    # Answered by middleware.py before the rest of the stack; the views are the same.
    path("<int:pk>/version", views.version, name="version"),
    path("<int:pk>/changes", views.changes, name="changes"),
    path("<int:pk>/feed/", LiveStoryFeed(), name="feed"),
    path("update/<int:pk>/", views.share, name="share"),
]
