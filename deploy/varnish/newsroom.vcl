# Varnish in front of newsroom's gunicorn: readers' pages are kept until the site purges them.
#
# Every page the site shares names what it shows in an `xkey` header ("story-12 front site"),
# and the site sends PURGE requests naming the tags a change touched (pagecache/purge.py,
# PAGE_CACHE_PURGE=varnish): an edit soft-purges (the old copy is served during `grace` while
# a new one is fetched), a story taken down purges hard. Pages say how long they may be kept
# (Surrogate-Control: max-age, at most PAGE_CACHE_SECONDS) when a purge is configured.
# See docs/deploy.md. Varnish 7.1 with the xkey vmod (Debian: varnish, varnish-modules).
vcl 4.1;

import std;
import xkey;

# gunicorn (docs/deploy.md); change the port to yours.
backend gunicorn {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge, and whose X-Real-IP is trusted (the TLS terminator and the app servers on
# this host). Add the app servers' addresses when they run elsewhere.
acl local {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ local) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.X-Purged = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Name the tags in xkey-purge or xkey-softpurge"));
        }
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    # The reader's address for the site's rate limits (COMMENTS_CLIENT_IP_HEADER=X-Real-IP):
    # the TLS terminator's, when it is the one asking; else the client's own.
    if (client.ip !~ local || !req.http.X-Real-IP) {
        set req.http.X-Real-IP = client.ip;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);  # Comments, the "Most read" beacon, the admin's forms.
    }
    if (req.url ~ "^/(admin/|healthz|readyz)" || req.http.Authorization) {
        return (pass);
    }
    # Staff (Django's session cookie) get pages made for them; so does a reader with a
    # message waiting ("your comment was received"). The site never stores those either.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Reader pages carry no per-reader data: no other cookie may split or skip the cache.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hash {
    # http and https are different addresses to Django (canonical links, redirects).
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Django's word is final: a response with a cookie, or for one reader only, is never kept.
    # (Varnish's built-in rule ignores Cache-Control once Surrogate-Control is present.)
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Surrogate-Control ~ "(?i)no-store"
        || beresp.http.Vary == "*"
        # Nor one that says nothing (a 404, a redirect): it may change with no purge to tell.
        || !(beresp.http.Cache-Control || beresp.http.Expires)) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (beresp.http.xkey) {
        # A tagged page is purged when it changes: keep it as long as the site says
        # (Surrogate-Control), else by Cache-Control as any HTTP cache would.
        if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
            set beresp.ttl = std.duration(
                regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1s"), 0s);
        }
        # A soft purge serves the old copy this long while a new one is fetched: the site's
        # own bound, PAGE_CACHE_STALE_SECONDS.
        set beresp.grace = 30s;
    }
    return (deliver);
}

sub vcl_deliver {
    # Debug: whether Varnish answered from its cache (STALE: in grace, after a soft purge,
    # while a new copy is fetched).
    if (obj.hits > 0 && obj.ttl <= 0s) {
        set resp.http.X-Cache = "STALE";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # For Varnish only: browsers need neither the tags nor Varnish's TTL.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    unset resp.http.Surrogate-Control;
}
