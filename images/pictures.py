"""An image as readers' pages show it: <picture> with WebP renditions and one JPEG or PNG
fallback, the size the browser needs to keep the layout still, lazily loaded by default.

Rendition addresses follow from the image's name and stored width (processing.rendition_names),
without asking the storage whether the files exist: `regenerate_renditions` makes any that
are missing.
"""

from django.utils.html import format_html, format_html_join

from .processing import fallback_rendition, rendition_names


def picture(image, width, height, alt, sizes, loading="lazy", fetchpriority=None):
    """`image` (a stored FieldFile, `width` × `height` as stored) as <picture>.

    `sizes` tells the browser how wide the image is shown. Without a known width there are no
    renditions to name: a plain <img> of the original.
    """
    renditions = rendition_names(image.name, width)
    img = {
        "src": image.url,
        "width": width,
        "height": height,
        "alt": alt,
        "loading": loading,
        "fetchpriority": fetchpriority,
        "decoding": "async",
    }
    if not renditions:
        return format_html("<img{}>", _attributes(img))

    url = image.storage.url
    webp_srcset = ", ".join(f"{url(webp)} {w}w" for w, webp, _ in renditions)
    # Every browser that chooses among widths reads WebP too (Safari since 14, 2020): the
    # fallback is one JPEG or PNG, not a second list of widths on every page that shows it.
    img["src"] = url(fallback_rendition(image.name, width)[1])
    return format_html(
        '<picture><source type="image/webp"{}><img{}></picture>',
        _attributes({"srcset": webp_srcset, "sizes": sizes}),
        _attributes(img),
    )


def _attributes(attrs):
    """name="value" pairs, escaped, in the given order; None leaves an attribute out."""
    return format_html_join(
        "", ' {}="{}"', ((name, value) for name, value in attrs.items() if value is not None)
    )
