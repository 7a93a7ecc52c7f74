from django.contrib import admin
from django.urls import path

from . import console
from .models import LiveEntry


@admin.register(LiveEntry)
class LiveEntryAdmin(admin.ModelAdmin):
    """Only the posting screen (console.py), reached from a story's change form ("Live
    coverage"): entries are written there, under the story's own permission rule."""

    def get_urls(self):
        console_view = self.admin_site.admin_view(self.console_view)
        return [path("story/<int:pk>/", console_view, name="live_liveentry_console")]

    def console_view(self, request, pk):
        return console.view(request, self, pk)

    def get_model_perms(self, request):
        # Not in the admin's index: the way in is the story.
        return {}
