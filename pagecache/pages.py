"""What a view tells the page cache about its page: that it is a public page anonymous readers
may be served from the cache (reader_page), which query parameters it reads, when it will
read differently by the clock alone (changes_at), when what it shows last changed
(last_modified), and what it shows, as tags (tag)."""

from functools import partial, wraps

# Query parameter patterns for reader_page(params=…). A page number has one spelling per page:
# "2", not "02" or "2.0", so the pages of a list are as many cache entries as it has pages.
PAGE_NUMBER = r"[1-9][0-9]{0,5}"
# The parameters of a paginated list (ListView and the date views read ?page=).
PAGINATED = {"page": PAGE_NUMBER}
# Any value at all (what a reader searched for): such addresses have no end, see
# middleware.OPEN_ENDED_PAGES.
FREE_TEXT = None


def reader_page(view=None, *, params=None):
    """Mark a view as a public page that anonymous readers may be served from the cache.

    `params`: {name: pattern} of the query parameters the page reads (e.g. {"page": PAGE_NUMBER});
    the view sees no other. An address whose values all match their patterns is cached like any
    page; one with FREE_TEXT or a value that does not match is open-ended (see OPEN_ENDED_PAGES).
    Use as `@reader_page` or `@reader_page(params={...})`, on a function or a class.
    """
    if view is None:
        return partial(reader_page, params=params)
    if isinstance(view, type):
        view.reader_page = True
        view.reader_params = params or {}
        return view

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.reader_page = True
    wrapper.reader_params = params or {}
    return wrapper


def declared_params(view_func):
    """{name: pattern} of a reader page (a function, a class-based view or a Feed instance), or
    None for any other view."""
    for holder in (view_func, getattr(view_func, "view_class", None)):
        if getattr(holder, "reader_page", False):
            return getattr(holder, "reader_params", {})
    return None


def changes_at(request, moment):
    """Tell the page cache that this page will read differently at `moment` by the clock alone
    (comments closing, say), with no save to announce it: it is not served after then."""
    if request is None or moment is None:
        return
    current = getattr(request, "page_changes_at", None)
    if current is None or moment < current:
        request.page_changes_at = moment


def last_modified(request, *moments):
    """Tell the page cache when what this page shows last changed (its stories' and comments'
    newest change): its Last-Modified, which must not move when the same content is cached
    again. Call it for each part of the page; the newest moment counts. None is ignored."""
    if request is None:
        return
    known = [moment for moment in moments if moment is not None]
    current = getattr(request, "page_last_modified", None)
    if current is not None:
        known.append(current)
    if known:
        request.page_last_modified = max(known)


def tag(request, *tags):
    """Tell the page cache what this page shows, as tags ("story-12", "section-3"; the apps name
    them): a raise of any of them (generations.tags_changed) puts its copies out of date, and
    they go out in its Cache-Tag, Surrogate-Key and xkey headers for a CDN or Varnish. Call it
    for each part of the page (a template tag for what it renders itself)."""
    if request is None:
        return
    if not hasattr(request, "page_tags"):
        request.page_tags = set()
    request.page_tags.update(tags)
