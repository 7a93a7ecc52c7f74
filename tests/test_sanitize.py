"""Rich text is sanitised on save: known XSS payloads never reach the database or a page."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from articles.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html
from articles.models import About, Article
from demo import content as demo_content

from .factories import make_article

# The OWASP filter-evasion classics and a few parser-confusion tricks. Their visible text
# is kept free of the words the checks look for, so any hit is markup that got through.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<script>alert(1)",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="javascript:alert(1);">',
    "<img src=x onerror=alert(1)//",
    '<img """><script>alert(1)</script>">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><a xlink:href="javascript:alert(1)">click</a></math>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="jav\tascript:alert(1)">click</a>',
    '<a href="jav&#x0A;ascript:alert(1)">click</a>',
    '<a href="jav\nascript:alert(1)">click</a>',
    '<a href=" &#14; javascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="java&#0000115;cript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">click</a>',
    '<a href="javascript&colon;alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="https://example.org/" onclick="alert(1)" onmouseover=alert(2)>click</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/movie.swf">',
    "<style>@import 'https://evil.example/xss.css';</style>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width: expression(alert(1));">old browsers</div>',
    '<form action="javascript:alert(1)"><input type="submit"></form>',
    "<input autofocus onfocus=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<marquee onstart=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    '<h2 onclick="alert(1)" class="x" id="y" style="color:red">heading</h2>',
]

FORBIDDEN = [
    "<script", "javascript:", "vbscript:", "data:", "<iframe", "<object", "<embed", "<style",
    "style=", "<form", "<input", "<meta", "<base", "<link", "<svg", "<math", "<details",
    "<template", "<textarea", "<!--",
]  # fmt: skip
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)

# Everything the editor can produce, as the sanitiser leaves it (links already carry rel).
GOOD_HTML = (
    "<h2>A heading</h2><h3>A subheading</h3>"
    "<p>Some <strong>bold</strong> and <em>italic</em> text, H<sub>2</sub>O, E=mc<sup>2</sup>,"
    '<br>a <a href="/world/" rel="noopener noreferrer">link within the site</a>, a '
    '<a href="mailto:desk@example.com" rel="noopener noreferrer">mail</a> and '
    '<a href="https://example.org/report" title="The report" rel="noopener noreferrer">'
    "an external one</a>.</p>"
    '<ul><li>One</li><li>Two</li></ul><ol start="3"><li>Three</li></ol>'
    "<blockquote><p>A quotation.</p></blockquote><hr>"
    '<figure><img src="/media/photo.jpg" alt="A photo" width="640" height="360">'
    "<figcaption>A caption</figcaption></figure>"
)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_harmless(html):
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, (needle, html)
    assert not EVENT_HANDLER.search(html), html

    parser = _Markup()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, (tag, html)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, (tag, attrs, html)
        for name in ("href", "src"):
            if attrs.get(name):
                scheme = urlsplit(attrs[name].strip()).scheme
                assert scheme in URL_SCHEMES | {""}, (attrs, html)


def body_region(page):
    """The rendered rich text: the body holds no <div>, so the first </div> ends it."""
    [region] = re.findall(r'<div class="story__body">(.*?)</div>', page, re.DOTALL)
    return region


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_is_neutralised_and_stays_so(payload):
    clean = sanitize_html(payload)
    assert_harmless(clean)
    assert sanitize_html(clean) == clean


def test_there_are_enough_payloads():
    assert len(set(XSS_PAYLOADS)) >= 25


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_never_reaches_the_article_page(client, payload):
    story = make_article(body=f"<p>Before.</p>{payload}<p>After.</p>")

    stored = Article.objects.get(pk=story.pk).body
    page = client.get(story.get_absolute_url())

    assert page.status_code == 200
    assert_harmless(stored)
    assert "<p>Before.</p>" in stored
    assert_harmless(body_region(page.text))


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_never_reaches_the_about_page(client, payload):
    about = About.load()
    about.body = f"<p>Before.</p>{payload}<p>After.</p>"
    about.save()

    stored = About.objects.get().body
    page = client.get(reverse("articles:about"))

    assert page.status_code == 200
    assert_harmless(stored)
    assert "<p>Before.</p>" in stored
    assert_harmless(body_region(page.text))


def test_script_and_style_contents_are_dropped_not_left_as_text():
    html = "<p>Hi</p><script>steal()</script><style>p { color: red }</style><p>there</p>"
    assert sanitize_html(html) == "<p>Hi</p><p>there</p>"


def test_disallowed_tags_keep_their_text():
    assert sanitize_html("<h1>Title</h1><div><span>Text</span></div>") == "TitleText"


def test_external_links_get_noopener_noreferrer_and_lose_their_own_rel_and_target():
    html = '<a href="https://example.org/" rel="opener" target="_blank">x</a>'
    assert sanitize_html(html) == '<a href="https://example.org/" rel="noopener noreferrer">x</a>'


def test_good_html_survives_unchanged():
    assert sanitize_html(GOOD_HTML) == GOOD_HTML
    assert_harmless(GOOD_HTML)


def test_editor_markup_keeps_its_structure_without_the_editors_classes():
    html = (
        '<figure class="figure"><img src="https://example.org/a.jpg" alt="A" title="t">'
        '<figcaption class="figure-caption">Caption</figcaption></figure>'
        '<p><a target="_blank" rel="noopener noreferrer nofollow" href="/about/">About</a></p>'
    )
    assert sanitize_html(html) == (
        '<figure><img src="https://example.org/a.jpg" alt="A"><figcaption>Caption</figcaption>'
        '</figure><p><a href="/about/" rel="noopener noreferrer">About</a></p>'
    )


DEMO_STORIES = demo_content.stories()


@pytest.mark.parametrize(
    "body",
    [demo_content.site()["body"]] + [story["body"] for story in DEMO_STORIES],
    ids=["about"] + [story["slug"] for story in DEMO_STORIES],
)
def test_demo_content_survives_unchanged_apart_from_rel_on_links(body):
    # The sanitiser gives every link the same rel, the site's own ones included.
    expected = re.sub(r'(<a href="[^"]*")>', r'\1 rel="noopener noreferrer">', body)
    assert sanitize_html(body) == expected
    assert sanitize_html(expected) == expected


@pytest.mark.django_db
def test_good_html_is_shown_on_the_article_and_about_pages(client):
    story = make_article(body=GOOD_HTML)
    about = About.load()
    about.body = GOOD_HTML
    about.save()

    for url in (story.get_absolute_url(), reverse("articles:about")):
        region = body_region(client.get(url).text)
        for fragment in (
            "<h2>A heading</h2>",
            "<h3>A subheading</h3>",
            "<ul><li>One</li><li>Two</li></ul>",
            "<blockquote><p>A quotation.</p></blockquote>",
            '<a href="https://example.org/report" title="The report" rel="noopener noreferrer">',
            '<a href="/world/" rel="noopener noreferrer">',
            "<figcaption>A caption</figcaption>",
        ):
            assert fragment in region, (url, fragment)
