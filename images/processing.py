"""Image files: upload checks and the resized renditions pages use.

An upload (a story's featured image, an author's photo, an image in a story's body) is checked
and re-encoded once, in the form that receives it (`normalise_upload`): only real JPEG, PNG,
WebP and GIF files, within a size and a pixel limit, turned upright, without EXIF (camera, GPS)
or other metadata, in the format it came in. Animated or multi-picture files (GIF, APNG,
animated WebP, and the multi-picture JPEGs (MPO) many phone cameras write) keep their first
picture only: the site shows stills.

The pixel limits are checked on the header, before anything is decoded, and a JPEG above
MAX_DECODED_PIXELS is decoded (and stored) at half or a quarter of its size, so that one upload
costs a worker about 200 MB at most. Measured peak memory of one upload and its renditions: a
39 MP phone photo turned upright 300 MB before these limits, 80 MB after; the worst cases now
are a progressive 48 MP JPEG (185 MB: libjpeg holds all of its coefficients whatever the scale)
and a 24 MP JPEG (160 MB, as before).

Renditions are made once per image, after it is stored (`generate_renditions`, run once the
row holding the image is committed: articles/signals.py for a featured image, BodyImage.save
for a body image), at a few widths, in WebP plus a fallback: JPEG for JPEG originals, PNG for
formats that may be transparent. Their names follow from the original's name and width
(`rendition_names`), so a page links to them without a database field or a storage lookup
(pictures.py writes the markup).
"""

import io
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Pixel limits, read from the header. A JPEG up to a 48 or 50 MP phone photo is accepted: it is
# decoded at half its size straight from the compressed data (`_decode_smaller`), so it costs no
# more memory than a 12 MP one, and is stored so (4000 × 3000 is plenty for 1600-pixel pages).
# PNG, WebP and GIF cannot be decoded at a reduced scale: they may have MAX_DECODED_PIXELS, a
# 6000 × 4000 frame (the common 24 MP camera), about 100 MB once decoded.
MAX_PIXELS = 50_000_000
MAX_DECODED_PIXELS = 24_000_000
# Pillow's own guard, which also covers Django's ImageField (it opens every upload before the
# checks below run): it warns above this many pixels and refuses above twice as many.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# What Pillow must find in the bytes, and the extension the stored file gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Pillow's name for a multi-picture JPEG (a phone's stereo or depth pair): its first picture is a
# plain JPEG, stored as one.
MULTI_PICTURE = {"MPO": "JPEG"}
# The stored original is the master copy: re-encoded at high quality.
ORIGINAL_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {},
    "WEBP": {"quality": 90},
    "GIF": {},
}
# All the stored original keeps of what Pillow read besides the pixels.
KEPT_INFO = {"icc_profile", "transparency"}

RENDITION_WIDTHS = (480, 960, 1600)
FALLBACK_WIDTH = 960
# Originals named so may be transparent: their fallback renditions are PNGs, not JPEGs.
TRANSPARENT_SUFFIXES = (".png", ".gif", ".webp")
RENDITION_OPTIONS = {
    # method 4 encodes about a third faster than 6 for slightly larger files.
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
}


def normalise_upload(upload):
    """Check an uploaded image; return it re-encoded, upright and without metadata.

    Raises ValidationError, with a message for the editor, for anything else.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {upload.size / 2**20:.1f} MB; an image can be at most "
            f"{MAX_UPLOAD_BYTES // 2**20} MB.",
            code="file_too_large",
        )
    upload.seek(0)
    image = open_image(upload)
    image_format = stored_format(image)
    ImageOps.exif_transpose(image, in_place=True)
    # Keep what the picture needs; EXIF, XMP, comments and text chunks stay behind.
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    icc_profile = image.info.get("icc_profile")
    data = _encode(image, image_format, icc_profile, ORIGINAL_OPTIONS[image_format])
    stem = PurePosixPath(upload.name).stem or "image"
    return SimpleUploadedFile(f"{stem}.{FORMATS[image_format]}", data, Image.MIME[image_format])


def open_image(file, min_width=None):
    """Open and decode an image, refusing anything but a sound JPEG, PNG, WebP or GIF within
    the pixel limits. A multi-picture or animated file is its first picture. A JPEG larger than
    MAX_DECODED_PIXELS comes decoded at a reduced scale, and with `min_width` one larger than
    twice that is too (renditions need no more). Raises ValidationError."""
    invalid_format = ValidationError(
        "Upload a JPEG, PNG, WebP or GIF image; this file is none of those.",
        code="invalid_format",
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError) as error:
        raise invalid_format from error
    if stored_format(image) not in FORMATS:
        raise invalid_format
    # Opening read only the header: check the size before decoding anything.
    if image.width * image.height > _pixel_limit(image):
        raise _too_many_pixels(image.size)
    _decode_smaller(image, min_width)
    try:
        image.load()
    except Exception as error:  # Damaged data raises many kinds of error inside Pillow.
        raise ValidationError(
            "This image file is damaged or incomplete; export it again and upload the new file.",
            code="damaged",
        ) from error
    return image


def stored_format(image):
    """The format an opened image is stored in: its own, or JPEG for a multi-picture JPEG."""
    return MULTI_PICTURE.get(image.format, image.format)


def _pixel_limit(image):
    return MAX_PIXELS if stored_format(image) == "JPEG" else MAX_DECODED_PIXELS


def _decode_smaller(image, min_width=None):
    """Have a JPEG (not yet loaded) of more than MAX_DECODED_PIXELS decode at the largest of
    1/2, 1/4 or 1/8 scale that brings it within them, or, with `min_width`, at the smallest
    scale still at least that wide and high: libjpeg scales while it decodes, so the full-size
    picture is never held in memory. Other formats have no such mode."""
    if stored_format(image) != "JPEG":
        return
    scale = 1
    while scale < 8 and image.width * image.height > MAX_DECODED_PIXELS * scale**2:
        scale *= 2
    # Both sides, so that a picture turned upright afterwards is still wide enough.
    while scale < 8 and min_width and min(image.size) // (scale * 2) >= min_width:
        scale *= 2
    if scale > 1:
        # Pillow picks the scale from the size asked for: at least this many pixels.
        image.draft(image.mode, (image.width // scale, image.height // scale))


def _too_many_pixels(size=None):
    found = f" ({size[0]} × {size[1]})" if size else ""
    return ValidationError(
        f"This image has too many pixels{found}; the limit is {MAX_PIXELS // 1_000_000} "
        f"megapixels for a JPEG, {MAX_DECODED_PIXELS // 1_000_000} for PNG, WebP and GIF. "
        "Scale it down and upload it again.",
        code="too_many_pixels",
    )


def rendition_names(name, width):
    """(width, WebP name, fallback name) of each rendition of the image stored as `name`.

    Never wider than the original: a 1200-pixel-wide image gets 480, 960 and 1200.
    The whole original name goes into the rendition names, so photo.jpg and photo.png
    in the same folder never share renditions.
    """
    if not width:
        return []
    widths = sorted({min(w, width) for w in RENDITION_WIDTHS})
    fallback = "png" if name.lower().endswith(TRANSPARENT_SUFFIXES) else "jpg"
    return [(w, f"renditions/{name}-{w}.webp", f"renditions/{name}-{w}.{fallback}") for w in widths]


def fallback_rendition(name, width):
    """(width, name) of the JPEG or PNG rendition browsers without WebP, and feeds, use: the
    widest one no wider than FALLBACK_WIDTH. None when the width is unknown (no renditions)."""
    renditions = rendition_names(name, width)
    if not renditions:
        return None
    # The smallest rendition is never wider than FALLBACK_WIDTH, so there is always one.
    fallback_width, _, fallback_name = [r for r in renditions if r[0] <= FALLBACK_WIDTH][-1]
    return fallback_width, fallback_name


def generate_renditions(image):
    """Write the renditions of a stored image (a FieldFile); return the names written.

    Raises FileNotFoundError when the original is missing, ValidationError when it
    cannot be decoded.
    """
    storage = image.storage
    with storage.open(image.name) as file:
        source = open_image(file, min_width=max(RENDITION_WIDTHS))
    ImageOps.exif_transpose(source, in_place=True)
    source = _to_rgb(source)
    icc_profile = source.info.get("icc_profile")
    written = []
    for width, webp_name, fallback_name in rendition_names(image.name, source.width):
        height = max(1, round(source.height * width / source.width))
        resized = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if fallback_name.endswith(".png"):
            fallback = _encode(resized, "PNG", icc_profile)
        else:
            fallback = _encode(resized.convert("RGB"), "JPEG", icc_profile)
        for name, data in (
            (webp_name, _encode(resized, "WEBP", icc_profile)),
            (fallback_name, fallback),
        ):
            # Storages pick a fresh name rather than overwrite: make way for the new file.
            storage.delete(name)
            written.append(storage.save(name, ContentFile(data)))
    return written


def missing_renditions(image, width):
    """The names a page links to for this image (`width` as stored) that are not stored."""
    return [
        name
        for _, webp_name, fallback_name in rendition_names(image.name, width)
        for name in (webp_name, fallback_name)
        if not image.storage.exists(name)
    ]


def _to_rgb(image):
    """RGB, or RGBA for an image with transparency; CMYK through its colour profile."""
    if image.mode == "CMYK" and image.info.get("icc_profile"):
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"])),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except ImageCms.PyCMSError:
            del image.info["icc_profile"]  # Unusable: convert naively below.
    mode = "RGBA" if image.has_transparency_data else "RGB"
    return image if image.mode == mode else image.convert(mode)


def _encode(image, image_format, icc_profile, options=None):
    """The image as a file's bytes: rendition settings unless `options` are given."""
    buffer = io.BytesIO()
    options = RENDITION_OPTIONS[image_format] if options is None else options
    image.save(buffer, image_format, icc_profile=icc_profile, **options)
    return buffer.getvalue()
