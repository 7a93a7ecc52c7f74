"""A WordPress post's HTML made into a story body.

WordPress stores posts half-rendered: block-editor posts carry `<!-- wp:… -->` comments,
classic posts have no `<p>` (paragraphs are blank lines, added when the page is shown), and
both may hold shortcodes (`[caption]`, `[embed]`, `[gallery]`, …) that only WordPress can
expand. This module does those steps itself, then the result is sanitised like any rich text.
Unknown shortcodes are left as text: square brackets are common in news copy ("[sic]").
"""

import html
import re

from django.utils.html import escape, strip_tags

from articles.html import sanitize_html

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
# WordPress's own attribute grammar: name="value", name='value', name=value, or a bare value.
SHORTCODE_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|(\S+)"""
)
# An image, possibly inside a link, at the start of a [caption]; the rest is the caption.
CAPTIONED_IMAGE = re.compile(
    r"\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)", re.DOTALL | re.IGNORECASE
)
# A URL alone on a line: WordPress shows it as an embedded player; here it becomes a link.
BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
# Chunks starting with these are already block HTML and are not wrapped in <p>.
BLOCK_START = re.compile(
    r"\s*<(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|figcaption|table|thead|tbody|"
    r"tr|td|th|pre|hr|section|article|aside|header|footer|address|form|iframe|script|style|"
    r"!--)[\s>/]",
    re.IGNORECASE,
)
# Media addresses in [video]/[audio], in the order WordPress prefers them.
MEDIA_ATTRIBUTES = ("src", "url", "mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav")
GALLERY = re.compile(r"(?:<p>\s*)?\[gallery(?P<attrs>[^\]]*)\](?:\s*</p>)?")


def shortcode_pattern(*names):
    """`[name attrs]…[/name]` or a lone `[name attrs]` for any of `names`."""
    alternatives = "|".join(names)
    return re.compile(
        rf"\[(?P<name>{alternatives})(?P<attrs>(?:[\s=][^\]]*)?)\]"
        rf"(?:(?P<content>.*?)\[/(?P=name)\])?",
        re.DOTALL,
    )


CAPTION = shortcode_pattern("caption", "wp_caption")
LINKED_MEDIA = shortcode_pattern("embed", "video", "audio", "youtube", "vimeo")


def clean_content(content):
    """Sanitised body HTML from a post's `content:encoded`.

    `[gallery]` shortcodes are kept as text: their images may come later in the export, so
    the importer expands them with `expand_galleries` once it has read the whole file.
    """
    content = BLOCK_COMMENT.sub("", content)
    content = CAPTION.sub(_caption, content)
    content = LINKED_MEDIA.sub(_linked_media, content)
    content = BARE_URL_LINE.sub(lambda match: _link_paragraph(match[1]), content)
    return sanitize_html(autop(content))


def autop(content):
    """Paragraphs from blank lines and line breaks from single newlines, as WordPress's
    `wpautop` does when it shows a classic post; chunks that are block HTML stay as they are."""
    chunks = re.split(r"\n\s*\n", content.replace("\r\n", "\n").strip())
    paragraphs = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_START.match(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(paragraphs)


def plain_text(fragment):
    """Text without tags or entities, whitespace collapsed (titles, excerpts)."""
    return " ".join(html.unescape(strip_tags(fragment)).split())


def comment_text(fragment):
    """A comment as the plain text our comments hold, its line breaks kept."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", fragment, flags=re.IGNORECASE)
    lines = html.unescape(strip_tags(text)).replace("\r\n", "\n").split("\n")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()


def shortcode_attributes(text):
    """Named attributes as a dict; bare values under "0", "1", …"""
    attributes, position = {}, 0
    for match in SHORTCODE_ATTRIBUTE.finditer(text or ""):
        if match[1]:
            attributes[match[1].lower()] = match[2]
        elif match[3]:
            attributes[match[3].lower()] = match[4]
        elif match[5]:
            attributes[match[5].lower()] = match[6]
        else:
            bare = match[7] if match[7] is not None else match[8]
            if bare != "/":
                attributes[str(position)] = bare
                position += 1
    return attributes


def expand_galleries(body, attachments, post_id):
    """Body HTML with each `[gallery]` replaced by figures of its images.

    `attachments` maps attachment IDs to Attachment records; a gallery without `ids` shows
    the images attached to the post (`post_id`), as WordPress does. Images the export lacks
    are left out. Returns (body, number of images that were missing).
    """
    missing = 0

    def figures(match):
        nonlocal missing
        attributes = shortcode_attributes(match["attrs"])
        if "ids" in attributes:
            ids = [int(part) for part in re.findall(r"\d+", attributes["ids"])]
        else:
            ids = sorted(key for key, item in attachments.items() if item.parent_id == post_id)
        found = [attachments[i] for i in ids if i in attachments and attachments[i].url]
        missing += len(ids) - len(found)
        return "".join(_figure(image.url, image.alt, image.caption) for image in found)

    return sanitize_html(GALLERY.sub(figures, body)), missing


def _figure(url, alt, caption=""):
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{escape(url)}" alt="{escape(alt)}">{caption_html}</figure>'


def _caption(match):
    attributes = shortcode_attributes(match["attrs"])
    image = CAPTIONED_IMAGE.match(match["content"] or "")
    if not image:
        return match["content"] or ""
    caption = attributes.get("caption") or image[2].strip()
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{image[1]}{caption_html}</figure>\n\n"


def _linked_media(match):
    attributes = shortcode_attributes(match["attrs"])
    url = (match["content"] or "").strip()
    if not url:
        url = next((attributes[key] for key in MEDIA_ATTRIBUTES if attributes.get(key)), "")
    # [youtube=https://…] and [youtube https://…], as Jetpack writes them.
    url = url or attributes.get("0", "").lstrip("=")
    if not url.startswith(("http://", "https://")):
        return ""
    return _link_paragraph(url)


def _link_paragraph(url):
    url = html.unescape(url)
    return f'\n\n<p><a href="{escape(url)}">{escape(url)}</a></p>\n\n'


# An image as the sanitiser writes it (attributes double-quoted), with the link around it if any.
LINKED_IMAGE = re.compile(r"(<a\s[^>]*>\s*)?<img\s([^>]*)>(\s*</a>)?")
IMAGE_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def replace_images(body, image_for):
    """Sanitised body HTML with each image's address replaced.

    `image_for(src)` gives (url, width, height) of the image to show instead, or None when
    there is none: the image then becomes a link to its old address, its alt text the link's
    text (or just that text, inside a link already), so that readers can still reach it.
    """

    def replace(match):
        attributes = {
            name: html.unescape(value) for name, value in IMAGE_ATTRIBUTE.findall(match[2])
        }
        src, alt = attributes.get("src", ""), attributes.get("alt", "")
        opening, closing = match[1] or "", match[3] or ""
        found = image_for(src) if src else None
        if found:
            url, width, height = found
            image = (
                f'<img src="{escape(url)}" alt="{escape(alt)}" width="{width}" height="{height}">'
            )
            return f"{opening}{image}{closing}"
        text = escape(alt or "Image")
        if opening:
            return f"{opening}{text}{closing}"
        return f'<a href="{escape(src)}">{text}</a>' if src else text

    return sanitize_html(LINKED_IMAGE.sub(replace, body))
