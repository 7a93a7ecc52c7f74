from django.utils.functional import SimpleLazyObject

from .furniture import site_furniture


def site(request):
    """Site furniture every public page shows: masthead, navigation, sidebar, footer.

    Cached (furniture.site_furniture), and lazy, so pages that show none of it (the admin)
    do not even ask the cache.
    """
    furniture = SimpleLazyObject(site_furniture)
    return {
        "about": SimpleLazyObject(lambda: furniture["about"]),
        "nav_categories": SimpleLazyObject(lambda: furniture["nav_categories"]),
        "top_categories": SimpleLazyObject(lambda: furniture["top_categories"]),
        "furniture_html": SimpleLazyObject(lambda: furniture["html"]),
    }
