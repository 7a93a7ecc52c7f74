"""Featured images: upload checks and the resized renditions pages use.

An upload is checked and re-encoded once, in the admin form (`normalise_upload`): only real
JPEG, PNG, WebP and GIF files, within a size and a pixel limit, turned upright, without EXIF
(camera, GPS) or other metadata, in the format it came in. A GIF keeps its first frame only:
a featured image is a still.

Renditions are made once per image, after it is stored (`generate_renditions`, called from
Article.save), at a few widths, in WebP plus a fallback: JPEG for JPEG originals, PNG for
formats that may be transparent. Their names follow from the original's name and width
(`rendition_names`), so a page links to them without a database field or a storage lookup.
"""

import io
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# What Pillow must find in the bytes, and the extension the stored file gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
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
    image_format = image.format
    ImageOps.exif_transpose(image, in_place=True)
    # Keep what the picture needs; EXIF, XMP, comments and text chunks stay behind.
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    icc_profile = image.info.get("icc_profile")
    data = _encode(image, image_format, icc_profile, ORIGINAL_OPTIONS[image_format])
    stem = PurePosixPath(upload.name).stem or "image"
    return SimpleUploadedFile(f"{stem}.{FORMATS[image_format]}", data, Image.MIME[image_format])


def open_image(file):
    """Open and decode an image, refusing anything but a sound JPEG, PNG, WebP or GIF
    of at most MAX_PIXELS. Raises ValidationError."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(
            "Upload a JPEG, PNG, WebP or GIF image; this file is none of those.",
            code="invalid_format",
        ) from error
    # Opening read only the header: check the size before decoding anything.
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels(image.size)
    try:
        image.load()
    except Exception as error:  # Damaged data raises many kinds of error inside Pillow.
        raise ValidationError(
            "This image file is damaged or incomplete; export it again and upload the new file.",
            code="damaged",
        ) from error
    return image


def _too_many_pixels(size=None):
    found = f" ({size[0]} × {size[1]})" if size else ""
    return ValidationError(
        f"This image has too many pixels{found}; the limit is {MAX_PIXELS // 1_000_000} "
        "megapixels. Scale it down and upload it again.",
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
        source = open_image(file)
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
