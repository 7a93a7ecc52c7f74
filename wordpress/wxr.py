"""Reading a WordPress export (WXR 1.0–1.2) one element at a time.

An export can be hundreds of megabytes, so the file is parsed with `iterparse` and each
`<item>` is dropped from the tree once it has been read. The parser is defusedxml's: a file
that declares entities (billion laughs, external entities) is refused before anything is read;
WordPress never writes such declarations.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException, EntitiesForbidden
from django.utils import timezone

# Namespace URIs by the prefix WordPress gives them; WXR 1.0 and 1.1 differ only in the version.
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
for _version in ("1.0", "1.1", "1.2"):
    NAMESPACES[f"http://wordpress.org/export/{_version}/"] = "wp"
    NAMESPACES[f"http://wordpress.org/export/{_version}/excerpt/"] = "excerpt"

# What WordPress writes for a date it does not have (drafts have no GMT publication date).
NO_DATE = "0000-00-00 00:00:00"


class WxrError(Exception):
    """The file cannot be read as a WordPress export; the message says why."""


class WxrRefused(WxrError):
    """The file holds XML constructs that are used in attacks; nothing of it was read."""


@dataclass
class WxrAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WxrTerm:
    kind: str  # "category" or "tag"
    term_id: int
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class WxrComment:
    comment_id: int
    author: str
    email: str
    ip: str
    date_gmt: datetime | None
    date: datetime | None
    content: str
    approved: str
    comment_type: str
    parent_id: int


@dataclass
class WxrItem:
    post_id: int
    post_type: str
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date_gmt: datetime | None = None
    date: datetime | None = None
    modified_gmt: datetime | None = None
    comment_status: str = "open"
    slug: str = ""
    status: str = ""
    parent_id: int = 0
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)


def read_wxr(file) -> Iterator[WxrAuthor | WxrTerm | WxrItem]:
    """The authors, categories, tags and items of an export, in file order.

    `file` is a binary file object. Raises WxrRefused for entity declarations and WxrError
    for a file that is not well-formed XML or not an RSS export.
    """
    events = SafeElementTree.iterparse(file, events=("start", "end"))
    path = []  # Names of the open elements: rss, channel, item, ...
    channel = None
    try:
        for event, element in events:
            if event == "start":
                path.append(_name(element.tag))
                if len(path) == 1 and path[0] != "rss":
                    raise WxrError(
                        f"this is not a WordPress export: its root element is <{path[0]}>, "
                        "not <rss>"
                    )
                if path == ["rss", "channel"]:
                    channel = element
                continue
            if len(path) == 3 and path[1] == "channel":
                record = _record(path[2], element)
                # Done with it: keep the tree from growing with the file.
                element.clear()
                channel.remove(element)
                if record is not None:
                    yield record
            path.pop()
    except EntitiesForbidden as error:
        raise WxrRefused(
            "the file declares XML entities (<!ENTITY …>"
            + (f", one of them external: {error.sysid}" if error.sysid else "")
            + "). WordPress exports never do; such files are used to attack parsers "
            "(“billion laughs”, external entities)"
        ) from None
    except DefusedXmlException as error:
        raise WxrRefused(
            f"the file uses XML features WordPress exports never use ({error})"
        ) from None
    except ParseError as error:
        line, column = error.position
        raise WxrError(
            f"the file is not well-formed XML at line {line}, column {column} ({error.msg})"
        ) from None
    if channel is None:
        raise WxrError("this is not a WordPress export: it has no <channel>")


def _record(name, element):
    match name:
        case "wp:author":
            values = _children(element)
            return WxrAuthor(
                login=values.get("wp:author_login", "").strip(),
                email=values.get("wp:author_email", "").strip(),
                display_name=values.get("wp:author_display_name", "").strip(),
                first_name=values.get("wp:author_first_name", "").strip(),
                last_name=values.get("wp:author_last_name", "").strip(),
            )
        case "wp:category":
            values = _children(element)
            return WxrTerm(
                kind="category",
                term_id=_int(values.get("wp:term_id")),
                slug=values.get("wp:category_nicename", "").strip(),
                name=values.get("wp:cat_name", "").strip(),
                parent_slug=values.get("wp:category_parent", "").strip(),
                description=values.get("wp:category_description", "").strip(),
            )
        case "wp:tag":
            values = _children(element)
            return WxrTerm(
                kind="tag",
                term_id=_int(values.get("wp:term_id")),
                slug=values.get("wp:tag_slug", "").strip(),
                name=values.get("wp:tag_name", "").strip(),
                description=values.get("wp:tag_description", "").strip(),
            )
        case "item":
            return _item(element)
    return None


def _item(element):
    values, categories, tags, meta, comments = {}, [], [], {}, []
    for child in element:
        name = _name(child.tag)
        if name == "category":
            term = ((child.get("nicename") or "").strip(), (child.text or "").strip())
            if child.get("domain") == "category":
                categories.append(term)
            elif child.get("domain") == "post_tag":
                tags.append(term)
        elif name == "wp:postmeta":
            pair = _children(child)
            meta[pair.get("wp:meta_key", "")] = pair.get("wp:meta_value", "")
        elif name == "wp:comment":
            comments.append(_comment(child))
        else:
            values[name] = child.text or ""
    return WxrItem(
        post_id=_int(values.get("wp:post_id")),
        post_type=values.get("wp:post_type", "").strip(),
        title=values.get("title", ""),
        link=values.get("link", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date_gmt=_date(values.get("wp:post_date_gmt"), utc=True),
        date=_date(values.get("wp:post_date")),
        modified_gmt=_date(values.get("wp:post_modified_gmt"), utc=True),
        comment_status=values.get("wp:comment_status", "open").strip(),
        slug=values.get("wp:post_name", "").strip(),
        status=values.get("wp:status", "").strip(),
        parent_id=_int(values.get("wp:post_parent")),
        attachment_url=values.get("wp:attachment_url", "").strip(),
        categories=categories,
        tags=tags,
        meta=meta,
        comments=comments,
    )


def _comment(element):
    values = _children(element)
    return WxrComment(
        comment_id=_int(values.get("wp:comment_id")),
        author=values.get("wp:comment_author", "").strip(),
        email=values.get("wp:comment_author_email", "").strip(),
        ip=values.get("wp:comment_author_IP", "").strip(),
        date_gmt=_date(values.get("wp:comment_date_gmt"), utc=True),
        date=_date(values.get("wp:comment_date")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "").strip(),
        comment_type=values.get("wp:comment_type", "").strip(),
        parent_id=_int(values.get("wp:comment_parent")),
    )


def _children(element):
    return {_name(child.tag): child.text or "" for child in element}


_names = {}


def _name(tag):
    """`{http://wordpress.org/export/1.2/}post_id` as `wp:post_id`, whatever the WXR version."""
    if tag not in _names:
        uri, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        prefix = NAMESPACES.get(uri, uri)
        _names[tag] = f"{prefix}:{local}" if prefix else local
    return _names[tag]


def _int(text):
    try:
        return int((text or "").strip())
    except ValueError:
        return 0


def _date(text, utc=False):
    """A WordPress date: GMT ones as UTC; local ones in the site's time zone (TIME_ZONE),
    since the export does not say which zone the WordPress site used."""
    text = (text or "").strip()
    if not text or text == NO_DATE:
        return None
    try:
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if utc:
        return moment.replace(tzinfo=UTC)
    return timezone.make_aware(moment)
