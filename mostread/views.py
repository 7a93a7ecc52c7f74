"""The beacon's address: static/js/beacon.js posts here once per reading (see counts.py)."""

import re

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from client_address import client_address

from .counts import record_hit

BOTS = re.compile(r"bot|spider|crawl", re.IGNORECASE)


def _is_reader(request):
    """Not a robot that runs scripts (no User-Agent, or one that says so), not staff."""
    agent = request.headers.get("User-Agent", "")
    return bool(agent) and not BOTS.search(agent) and not request.user.is_staff


# Exempt from CSRF: a hit changes nothing any user owns, and a forged one from another site
# adds no more than anyone can add by posting here directly. Readers have no cookie to send.
@csrf_exempt
@never_cache
@require_POST
def hit(request, pk):
    """The beacon: count a reading of story `pk`. The answer is the same whether or not it
    counted (unknown, unpublished, robot, staff): nobody reads it."""
    if _is_reader(request):
        record_hit(pk, reader=(client_address(request), request.headers.get("User-Agent", "")))
    return HttpResponse(status=204)
