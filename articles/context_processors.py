from django.utils.functional import SimpleLazyObject

from .models import About, Category


def site(request):
    """Site furniture every public page shows: masthead, navigation, sidebar, footer.

    Everything is lazy, so pages that show none of it (the admin) run no query for it.
    """
    return {
        "about": SimpleLazyObject(About.load),
        "nav_categories": Category.objects.all(),
        "top_categories": Category.objects.top(),
    }
