"""What an uncached page costs to render, in-process: ms per render of each page type, and with
--profile where that time goes (cProfile, top functions by own and cumulative time).

Settings as bench/loadtest.py's cold pass: production settings (DEBUG off), PostgreSQL
newsroom_bench, Redis as the cache (db 11 unless REDIS_URL says otherwise), the whole-page cache
off (PAGE_CACHE_SECONDS=0). Pages go through Django's test client, so the middleware runs too;
the first two requests of each page fill the caches kept per content generation, the rest are
measured. The database is only read.

    .venv/bin/python bench/profile_pages.py                         # every page, 30 renders each
    .venv/bin/python bench/profile_pages.py --pages front --renders 50 --profile --top 30
"""

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("front", "article", "category", "tag", "month", "archive", "search", "about")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default=",".join(PAGES), help=f"from: {','.join(PAGES)}")
    parser.add_argument(
        "--renders", type=int, default=30, help="measured renders per page (batches of 5)"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("--top", type=int, default=25, help="functions shown per ordering")
    parser.add_argument(
        "--dump", help="with --profile: also write each page's stats to DUMP-<page>.prof"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="raise the content generation before every render: the first render after a "
        "change, with nothing kept per generation (furniture included); per-revision "
        "fragments stay",
    )
    args = parser.parse_args()
    args.pages = [page for page in args.pages.split(",") if page]
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    return args


def configure(pages):
    """The cold pass's environment, set before Django reads its settings."""
    static_root = Path(os.environ.get("STATIC_ROOT", "/tmp/newsroom-profile-static"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": os.environ.get(
                "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
            ),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11"),
            "PAGE_CACHE_SECONDS": "0",
            "STATIC_ROOT": str(static_root),
            "LOG_LEVEL": "WARNING",
            "PAGES": repr(pages).replace("'", '"'),  # JSON, as loadtest.pick_urls reads it
        }
    )
    if not (static_root / "staticfiles.json").exists():
        # Production's static storage needs its manifest to render a page.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=os.environ,
            check=True,
        )


def main():
    args = parse_args()
    configure(args.pages)
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()
    from django.test import Client
    from loadtest import pick_urls

    from pagecache.generations import content_changed

    urls = pick_urls()
    # As bench/run asks: what serving a browser costs includes compressing the page.
    client = Client(headers={"Accept-Encoding": "gzip, deflate, br"})
    print(
        f"{'page':<10} {'ms/render':>10} {'CPU ms':>8} {'median CPU':>10}  url"
        "   (best batch of 5 renders; median of single renders)"
    )
    profiles = {}
    for page, url in urls.items():
        for _ in range(2):  # fill the caches kept per content generation
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{page} {url} answered {response.status_code}")
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        # The best of batches of 5: on a shared machine other work only ever adds time. And
        # the median of each render's own CPU time, steadier than either on a busy machine.
        best_wall = best_cpu = float("inf")
        cpu_times = []
        for _ in range(max(1, args.renders // 5)):
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(5):
                if args.fresh:
                    content_changed()
                started = time.process_time()
                client.get(url)
                cpu_times.append(time.process_time() - started)
            best_wall = min(best_wall, (time.perf_counter() - wall) * 1000 / 5)
            best_cpu = min(best_cpu, (time.process_time() - cpu) * 1000 / 5)
        median_cpu = statistics.median(cpu_times) * 1000
        if profiler:
            profiler.disable()
            profiles[page] = profiler
            if args.dump:
                profiler.dump_stats(f"{args.dump}-{page}.prof")
        print(
            f"{page:<10} {best_wall:>10.2f} {best_cpu:>8.2f} {median_cpu:>10.2f}  {url}", flush=True
        )
    for page, profiler in profiles.items():
        for order in ("tottime", "cumulative"):
            print(f"\n=== {page}: top {args.top} by {order} ({args.renders} renders) ===")
            pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(args.top)


if __name__ == "__main__":
    main()
