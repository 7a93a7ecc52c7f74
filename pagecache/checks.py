from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def page_cache_is_shared(app_configs, **kwargs):
    """Each process's local-memory cache learns only of the changes made through it: with
    several workers, the others would serve their cached pages until they expire."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS > 0 and backend.endswith("LocMemCache"):
        return [
            Warning(
                "Pages are cached in each process's own memory: with more than one worker or "
                "server, a change may show late on the others.",
                hint="Set REDIS_URL to share one cache, or PAGE_CACHE_SECONDS=0.",
                # The id operators may have silenced (SILENCED_SYSTEM_CHECKS): kept as it was.
                id="newsroom.W001",
            )
        ]
    return []
