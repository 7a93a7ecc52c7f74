"""What making a page again costs right after each kind of change (issue 14), in-process: the
CPU ms of one render of each page just after an approval, an edit in place of a story it shows,
and a publication (a new generation), with the page cache off. Settings as
bench/profile_pages.py (production settings, newsroom_bench, Redis, gzip asked for). The
changes are only announced (their tags or the generation raised), nothing is written: what is
measured is what the page reads and draws again.

    .venv/bin/python bench/profile_changes.py             # 20 renders per page and change
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHANGES = ("none", "approval", "edit", "publication")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import profile_pages

    pages = ["front", "article", "category", "tag", "month", "search"]
    profile_pages.configure(pages)
    import django

    django.setup()
    from django.test import Client
    from django.urls import resolve
    from loadtest import pick_urls

    from articles import cache_tags
    from articles.models import Article
    from pagecache.generations import content_changed, tags_changed

    urls = pick_urls()
    story = resolve(urls["article"]).kwargs["slug"]
    story = Article.objects.get(slug=story)
    client = Client(headers={"Accept-Encoding": "gzip, deflate, br"})

    def announce(change, shown):
        if change == "approval":
            tags_changed(cache_tags.comments(story))
        elif change == "edit":  # a story the page shows, edited in place
            tags_changed(*cache_tags.edited(shown, {"title": shown.title, "slug": shown.slug}))
        elif change == "publication":
            content_changed()

    print(f"{'page':<10}" + "".join(f"{change:>13}" for change in CHANGES) + "   (CPU ms, median)")
    for page, url in urls.items():
        if page not in pages:
            continue
        for _ in range(3):
            client.get(url)
        shown = story if page == "article" else Article.objects.published().latest("published_at")
        row = []
        for change in CHANGES:
            times = []
            for _ in range(args.renders):
                announce(change, shown)
                cpu = time.process_time()
                response = client.get(url)
                times.append((time.process_time() - cpu) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            row.append(statistics.median(times))
        print(f"{page:<10}" + "".join(f"{ms:13.1f}" for ms in row))


if __name__ == "__main__":
    main()
