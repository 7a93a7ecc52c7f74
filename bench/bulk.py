"""PostgreSQL bulk loading for bench/populate.py: COPY in batches, indexes set aside while the
rows go in, and the search index filled set-based with a temporary index."""

import time
from contextlib import contextmanager

COPY_BATCH = 5_000
TEMPORARY_INDEX = "bench_populate_taggeditem_bigint"


class Copier:
    """Rows into one model's table with COPY: every concrete column, defaults for those a row
    leaves out (so a column added later does not break the benchmark)."""

    def __init__(self, model, cursor):
        from django.db import connection

        self.fields = [f for f in model._meta.concrete_fields]
        self.names = [f.attname for f in self.fields]
        self.defaults = {
            f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.fields
        }
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.copy = cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN")

    def __enter__(self):
        self.writer = self.copy.__enter__()
        return self

    def __exit__(self, *exc):
        return self.copy.__exit__(*exc)

    def write(self, row):
        defaults = self.defaults
        self.writer.write_row([row[name] if name in row else defaults[name] for name in self.names])


def no_style():
    from django.core.management.color import no_style

    return no_style()


def fill_search_index(count):
    """`update_search_vector` over every story, in two halves at once (one per core).

    The site finds a story's tags through taggit's integer object_id cast to bigint, which no
    index covers: per story that is a scan of every tagged item. A temporary index on the cast
    makes the fill take seconds rather than hours; it is dropped afterwards so that the benchmark
    measures the schema the migrations make.
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    from articles.models import Article

    def fill(bounds):
        try:
            return Article.objects.filter(
                pk__gt=bounds[0], pk__lte=bounds[1]
            ).update_search_vector()
        finally:
            connections.close_all()

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX {TEMPORARY_INDEX} ON taggit_taggeditem "
            "(content_type_id, (object_id::bigint))"
        )
    try:
        half = count // 2
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(fill, [(0, half), (half, count)]))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {TEMPORARY_INDEX}")


@contextmanager
def indexes_set_aside(tables):
    """Drop the plain indexes of `tables` and build them again afterwards, two at a time.

    Bulk loading's oldest trick: one index build over a full table is far cheaper than
    maintaining the index row by row (above all the GIN indexes of search). Indexes that back a
    constraint (primary and unique keys) stay.
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint WHERE conindid = indexname::regclass
              )
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def build(definition):
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(definition)
        finally:
            connections.close_all()

    try:
        yield
    finally:
        step = time.monotonic()
        print(f"Building {len(indexes)} indexes again …", flush=True)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(build, [definition for _, definition in indexes]))
        print(f"  {time.monotonic() - step:.0f} s")
