"""Who a request comes from, for rate limits, "Most read" and sign-in lockouts: one rule.

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, so the proxy's header
(COMMENTS_CLIENT_IP_HEADER, e.g. X-Forwarded-For) is read instead: its last entry is the one the
proxy itself added, which a client cannot forge. Some proxies pass a port along; a value that is
no address at all is not let off a limit: every such value shares one bucket.
"""

import ipaddress
import re

from django.conf import settings

# Every client address that is not an IP address shares this one bucket.
UNPARSEABLE = "unparseable"
BRACKETED_V6 = re.compile(r"\[([^\]]*)\](?::\d{1,5})?")
IPV4_WITH_PORT = re.compile(r"([\d.]+):\d{1,5}")


def client_address(request):
    """The address as the request (or the proxy's header) gives it, not parsed."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.COMMENTS_CLIENT_IP_HEADER:
        forwarded = request.headers.get(settings.COMMENTS_CLIENT_IP_HEADER, "")
        address = forwarded.split(",")[-1].strip() or address
    return address


def parse_ip(address):
    """An ipaddress object from "1.2.3.4", "1.2.3.4:port", "2001:db8::1" or "[2001:db8::1]:port",
    or None."""
    with_port = BRACKETED_V6.fullmatch(address) or IPV4_WITH_PORT.fullmatch(address)
    if with_port:
        address = with_port[1]
    if "%" in address:  # A zone ("fe80::1%eth0") names a local interface, never a reader.
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:  # "::ffff:1.2.3.4" is the IPv4 reader 1.2.3.4.
        return ip.ipv4_mapped
    return ip


def client_ip(request):
    """The client's IP address as a string, or None when what we are given is not one. Also
    django-axes' AXES_CLIENT_IP_CALLABLE, so sign-in lockouts see the same address."""
    ip = parse_ip(client_address(request))
    return None if ip is None else str(ip)


def bucket(ip):
    """Whose requests `ip` (client_ip's answer) counts against. One IPv6 subscriber gets a whole
    /64 (2^64 addresses), so IPv6 is counted per /64; an unreadable address shares one bucket."""
    if ip is None:
        return UNPARSEABLE
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
