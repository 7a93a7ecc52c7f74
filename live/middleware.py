"""The poll of every open live page, answered before the rest of the stack.

2,000 readers with a live story open ask for its version once a second each. Sessions, users,
messages, redirects and the page cache have nothing to add to that answer (it is the same for
everyone, from the cache), so it goes out from here, first in MIDDLEWARE after the security
headers, and costs one cache read. The changes a page then asks for (once per new version)
take the same short way.
"""

import re

from . import views

ADDRESSES = re.compile(r"^/live/([1-9][0-9]{0,17})/(version|changes)$")


class LiveStreamMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = ADDRESSES.match(request.path_info)
        if match is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        answer = views.version if match[2] == "version" else views.changes
        return answer(request, int(match[1]))
