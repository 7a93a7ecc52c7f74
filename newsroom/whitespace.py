"""Pages without the indentation of their templates: ~1.5 KB of a busy story's page were spaces
and blank lines that templates leave between tags (issue 14: a story's page and its CSS under
40 KB).

Only whitespace that lies wholly between two tags and spans a line is touched, and it becomes a
single line break, which a browser shows exactly as it showed the run it replaces (one space, or
nothing between blocks). Text, attribute values (unless one holds ">", a line break and "<",
which no template writes) and the insides of <pre>, <textarea>, <script> and <style>, where
every space may count, are left as written. `{% spaceless %}` would instead remove the space
between two inline elements ("</a> <a>" becomes "</a><a>") and join words.

Below the page cache, GZip and the ETag in MIDDLEWARE: a cached page is squeezed once, when it
is made, and its ETag is taken over what is sent.
"""

import re

# Bytes, not text: in UTF-8 these ASCII bytes are never part of another character. Whitespace
# is HTML's own (a no-break space is text). The content of these elements is kept as written,
# their tags are squeezed like any other.
KEPT = re.compile(
    rb"<(?P<name>pre|textarea|script|style)\b[^>]*>(?P<kept>.*?)(?=</(?P=name))",
    flags=re.IGNORECASE | re.DOTALL,
)
BETWEEN_TAGS = re.compile(rb">[ \t\r\f]*\n[ \t\r\n\f]*<")


def squeeze(html):
    """`html` (UTF-8) with each run of whitespace between two tags that spans a line made one
    line break."""
    squeezed, start = [], 0
    for element in KEPT.finditer(html):
        squeezed += [
            BETWEEN_TAGS.sub(b">\n<", html[start : element.start("kept")]),
            element["kept"],
        ]
        start = element.end("kept")
    squeezed.append(BETWEEN_TAGS.sub(b">\n<", html[start:]))
    return b"".join(squeezed)


class SqueezeWhitespaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
            and response.charset.lower().replace("-", "") == "utf8"
        ):
            response.content = squeeze(response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
