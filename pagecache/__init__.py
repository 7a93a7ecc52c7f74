"""The page cache: whole public pages for anonymous readers, never stale.

The ground floor of the site: it knows requests, responses and the cache, and nothing of
stories or comments. The apps above tell it what changed (generations.content_changed,
tags_changed), what a page shows (pages.tag), which views are public pages (pages.reader_page),
and when their content next changes by the clock alone (generations.register_expiry). It
imports no app of the site.
"""
