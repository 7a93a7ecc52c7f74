"""Security headers Django has no setting for."""

from django.conf import settings

# Browser features no page of the site uses: nothing on it, nor anything injected into it, may
# ask for them. browsing-topics opts the readers out of Chrome's interest-based advertising.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# What the uploads may be: the formats images/processing.py accepts.
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


class SecurityHeadersMiddleware:
    """Add a Permissions-Policy to every response (unless a view chose its own), and make sure
    a file Django serves from MEDIA_ROOT is only ever shown as an image.

    Uploads are checked to be images, but the media folder may hold other files (an import,
    a hand copy): anything else there is sent as a download, never rendered as a page of
    this site, where an HTML or SVG file could run script with the site's cookies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if settings.SERVE_MEDIA and request.path.startswith(settings.MEDIA_URL):
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            if response.status_code == 200 and content_type not in IMAGE_TYPES:
                response.headers["Content-Type"] = "application/octet-stream"
                response.headers["Content-Disposition"] = "attachment"
        return response
