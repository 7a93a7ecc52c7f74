"""The editors' own addresses beside the admin's: the story editor's body-image upload."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from images.body_images import store_upload


def may_upload_body_images(user):
    """The admin's own rule for editing stories: active staff who may add or change them."""
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("articles.add_article") or user.has_perm("articles.change_article"))
    )


@never_cache
@require_POST
def upload_body_image(request):
    """The story editor's "Upload image" button: an image for a story's body, stored by
    images/body_images.py. Answers JSON: {url, width, height, alt} (201) or {error}
    (400/403/413).

    CSRF is checked by the middleware, as for every admin form; the JS sends the token."""
    if not may_upload_body_images(request.user):
        return JsonResponse(
            {"error": "Sign in as a member of staff who may write stories to upload images."},
            status=403,
        )
    return store_upload(request)
