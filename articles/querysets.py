"""How stories are asked for: the queries every page, feed, sitemap and search runs.

Kept apart from the models so that models.py reads as the schema and its rules; the querysets
reach the models they join through `self.model` or a local import (models.py imports this
module, so a module-level import back would be circular).
"""

import datetime
import json

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connections, models
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, JSONObject, RowNumber, TruncMonth

# Candidates for a story's related stories are published this close to it.
RELATED_WINDOW = datetime.timedelta(days=90)
# Most shared tags first, then the same section, then the newest.
RELATED_ORDER = ("-shared_tags", "-same_section", "-published_at", "-id")
# Earlier than any story.
EPOCH = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


def search_config():
    """The PostgreSQL text search configuration (stemming, stop words) for stories."""
    return getattr(settings, "SEARCH_CONFIG", "english")


class StripTags(Func):
    """HTML as plain text: every tag replaced by a space (quoted `>` in attributes allowed)."""

    function = "REGEXP_REPLACE"
    output_field = models.TextField()

    def __init__(self, expression):
        super().__init__(
            expression, Value("<([^>\"']|\"[^\"]*\"|'[^']*')*>"), Value(" "), Value("g")
        )


def bylines_prefetch():
    """Each story's bylines with their authors, for `credited_authors` in lists: one query."""
    from .models import Byline

    return models.Prefetch("bylines", Byline.objects.select_related("author"))


# What lists leave out of each story: its text, most of its row.
LISTING_DEFERRED = ("body", "search_vector")
# Where a story's credited authors are attached (fragments.card_model, attach_topics_and_authors).
CREDITED = "_credited_authors"


# What a credited author is read as for a byline: an Author with these fields, the rest read if
# ever asked for (Model.from_db).
CREDIT_FIELDS = ("id", "name", "slug")


def credits_of(pks):
    """{story pk: ((author id, name, slug), ...) in byline order} of the stories `pks`: one
    plain query, for lists. Django's prefetch of `bylines` made a related manager and cloned a
    queryset per story, and building even a plain ORM query of them was a tenth of a section
    page's time (bench/RESULTS.md, issue 14)."""
    from django.db import connection

    from .people import Author, Byline

    credits = {pk: [] for pk in pks}
    if credits:
        byline, author = Byline._meta.db_table, Author._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT b.article_id, a.id, a.name, a.slug FROM {byline} b "
                f"JOIN {author} a ON a.id = b.author_id "
                f"WHERE b.article_id IN ({', '.join(['%s'] * len(credits))}) "
                "ORDER BY b.position, b.id",
                list(credits),
            )
            for article_id, *credit in cursor.fetchall():
                credits[article_id].append(tuple(credit))
    return {pk: tuple(credit) for pk, credit in credits.items()}


def as_authors(credits):
    """credits_of()'s authors of one story as Author models (the other fields deferred)."""
    from .people import Author

    return [Author.from_db(Author.objects.db, CREDIT_FIELDS, credit) for credit in credits]


def json_rows(queryset, **fields):
    """A subquery of `queryset`'s rows (grouped on its one value) as comma-joined JSON
    objects of `fields`, for read_json_rows(): related rows inside their story's own query.
    In no order (SQLite orders no aggregate): read_json_rows() sorts them."""
    rows = StringAgg(Cast(JSONObject(**fields), models.TextField()), Value(","))
    return Subquery(queryset.annotate(rows=rows).values("rows"))


def read_json_rows(text, order):
    """The rows of a json_rows() subquery, as dicts, sorted by their `order` values (then
    left out of each)."""
    rows = sorted(json.loads(f"[{text or ''}]"), key=lambda row: [row[name] for name in order])
    return [{name: row[name] for name in row if name not in order} for row in rows]


def attach_topics_and_authors(story):
    """`story` fetched with with_topics(): its tags (as taggit's prefetch leaves them), from
    that same query, and its credited authors (credits_of)."""
    from taggit.models import Tag

    topics = Tag.objects.none()
    topics._result_cache = [
        Tag.from_db(Tag.objects.db, list(row), list(row.values()))
        for row in read_json_rows(story.topics_json, ["item"])
    ]
    topics._prefetch_done = True
    story.__dict__.setdefault("_prefetched_objects_cache", {})["tags"] = topics
    story.__dict__[CREDITED] = as_authors(credits_of([story.pk])[story.pk])
    return story


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see (Article.public_q)."""
        return self.filter(self.model.public_q())

    def scheduled(self):
        """Published stories whose time has not come yet (Article.scheduled_q)."""
        return self.filter(self.model.scheduled_q())

    def visible_to(self, user):
        """What `user` may open on staff pages (admin, history, preview): editors every story,
        writers their own, moderators (view rights only) what readers already see."""
        if user.has_perm("articles.publish_article"):
            return self
        if user.has_perm("articles.add_article"):
            return self.filter(author_id=user.pk)
        if user.has_perm("articles.view_article"):
            return self.published()
        return self.none()

    def for_listing(self):
        """For lists of stories: with their section, without the text they do not show (a
        story's body is most of its row). Not with the writer's account: readers are shown
        bylines (credits_of), never a sign-in name, and joining auth_user made
        a User per story on every list."""
        return self.select_related("category").defer(*LISTING_DEFERRED)

    def with_corrections(self):
        """Each story's corrections and updates, read by `Article.notes`, fetched inside the
        same query as JSON: most stories have none, and a separate query would cost every
        story page one more round trip for nothing."""
        from .models import Correction

        notes = (
            Correction.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(
                notes=StringAgg(
                    Cast(
                        JSONObject(id="id", kind="kind", text="text", created_at="created_at"),
                        models.TextField(),
                    ),
                    Value(","),
                )
            )
            .values("notes")
        )
        return self.annotate(notes_json=Subquery(notes))

    def for_story_page(self):
        """For a story's page: with its section, corrections and tags, in one query (its
        credited authors in one more: attach_topics_and_authors)."""
        return self.select_related("category").with_corrections().with_topics()

    def with_topics(self):
        """Each story's tags fetched inside its own query, as JSON, for
        attach_topics_and_authors(): taggit's prefetch was a query of its own, and Django's
        building of it a tenth of a story page (bench/RESULTS.md, issue 14)."""
        from taggit.models import TaggedItem

        topics = (
            TaggedItem.objects.filter(
                content_type__app_label="articles",
                content_type__model="article",
                object_id=OuterRef("pk"),
            )
            .order_by()
            .values("object_id")
        )
        # Topics in the order they were given.
        topics_json = json_rows(topics, item="id", id="tag_id", name="tag__name", slug="tag__slug")
        return self.annotate(topics_json=topics_json)

    def in_any_of(self, *pks):
        """These stories whose pk is in any of `pks` (querysets of pks, sliced ones too).

        `Q(pk__in=a) | Q(pk__in=b)` reads the same but makes PostgreSQL scan every story to
        test both (75 ms on 100,000 stories); a union of the parts is one index lookup per pk.
        Each part is wrapped in a filter of its own, as SQLite allows no LIMIT in a union.
        """
        parts = [self.model.objects.filter(pk__in=part).order_by().values("pk") for part in pks]
        return self.filter(pk__in=parts[0].union(*parts[1:]))

    def with_bylines(self):
        return self.prefetch_related(bylines_prefetch())

    def related_to(self, article):
        """Other stories, those sharing most tags with `article` first, then its section's.

        One query; ties go to the same section, then to the newest. Only stories published
        within RELATED_WINDOW of it are candidates: news is related in time as well as in
        subject, and counting shared tags over the whole archive would cost every story page
        a scan of it.
        """
        related, tagged = self._relatedness(article)
        return related.filter(
            Q(category_id=article.category_id) | Q(Exists(tagged)),
            published_at__gte=article.published_at - RELATED_WINDOW,
            published_at__lte=article.published_at + RELATED_WINDOW,
        ).order_by(*RELATED_ORDER)

    def _relatedness(self, article):
        """Other stories than `article`, annotated with what related_to() ranks them by; and
        the subquery of their tags shared with it."""
        tag_ids = [tag.pk for tag in article.tags.all()]  # prefetch `tags` to save a query
        # Per candidate, an index lookup of its tagged items: no join of every tagged story.
        tagged = self.model.tags.through.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id=OuterRef("pk"),
            tag_id__in=tag_ids,
        )
        shared_tags = Coalesce(
            Subquery(tagged.order_by().values("object_id").annotate(n=Count("*")).values("n")),
            0,
        )
        same_section = models.Case(models.When(category_id=article.category_id, then=1), default=0)
        related = self.exclude(pk=article.pk).annotate(
            shared_tags=shared_tags, same_section=same_section
        )
        return related, tagged

    def around(self, article, related):
        """Stories to read next, in one query: the first `related` of related_to(article), in
        that order, filled up with the section's older stories when fewer are related; then
        its previous and next stories in its section, which are marked with `neighbour` (-1
        previous, 1 next, 0 neither).

        The neighbours are looked for over the whole archive, not within RELATED_WINDOW: a
        story always links to the section's nearest older and newer ones. Each is one walk
        of `article_section_order_idx` (section, status, date, id), however old the story.
        """
        in_section = self.filter(category_id=article.category_id)
        before = in_section.before(article).values("pk")
        after = in_section.after(article).values("pk")
        previous, following = Subquery(before[:1]), Subquery(after[:1])
        related_stories, _ = self._relatedness(article)
        top = self.related_to(article).values("pk")[:related]
        # An old story has nothing published near it: its section's older ones stand in.
        older = in_section.before(article).values("pk")[:related]
        rank = models.Case(
            models.When(pk__in=top, then=2), models.When(pk__in=older, then=1), default=0
        )
        # The related order (rank, then related_to()'s) puts the top `related` rows first,
        # whatever neighbours are fetched with them.
        return (
            related_stories.in_any_of(
                top,
                older,
                in_section.before(article).values("pk")[:1],
                in_section.after(article).values("pk")[:1],
            )
            .annotate(
                related_rank=rank,
                neighbour=models.Case(
                    models.When(pk=previous, then=-1),
                    models.When(pk=following, then=1),
                    default=0,
                ),
            )
            .order_by("-related_rank", *RELATED_ORDER)
        )

    def before(self, article):
        """Stories published before `article` (same time: lower id), the nearest first.

        `published_at <= …` on its own lets the database start its index walk at the story."""
        return self.filter(
            Q(published_at__lt=article.published_at) | Q(pk__lt=article.pk),
            published_at__lte=article.published_at,
        ).order_by("-published_at", "-id")

    def after(self, article):
        """Stories published after `article` (same time: higher id), the nearest first."""
        return self.filter(
            Q(published_at__gt=article.published_at) | Q(pk__gt=article.pk),
            published_at__gte=article.published_at,
        ).order_by("published_at", "id")

    def latest_per_category(self, per_category, recent=800):
        """The newest `per_category` stories of every category with stories among the
        `recent` newest, in one query.

        Ranking the whole archive by category would read every story on every front page;
        a section with nothing among the newest `recent` stories is not news today.
        """
        cutoff = self.order_by("-published_at", "-id").values("published_at")[recent - 1 : recent]
        since = Coalesce(Subquery(cutoff), Value(EPOCH, output_field=models.DateTimeField()))
        ranked = self.filter(published_at__gte=since).annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("category_id"),
                order_by=F("published_at").desc(),
            )
        )
        return ranked.filter(rank__lte=per_category).order_by("category_id", "rank")

    def month_counts(self):
        """{"month", "count", "published", "corrected"} per month, newest first: how many
        stories it has (for the archives) and its newest publication and correction (for the
        sitemaps). Its newest revision: month_revisions()."""
        return (
            self.annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(
                count=Count("id", distinct=True),
                published=Max("published_at"),
                corrected=Max("corrections__created_at"),
            )
            .order_by("-month")
        )

    def month_revisions(self):
        """(month, its newest revision) of the months with a revised story: apart from
        month_counts(), as an edit in place moves it and nothing else of a month."""
        return (
            self.filter(revised_at__isnull=False)
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(revised=Max("revised_at"))
            .values_list("month", "revised")
            .order_by()
        )

    def update_search_vector(self):
        """Refill `search_vector` of these stories in one UPDATE; PostgreSQL only, else a no-op.

        Weights: title A; standfirst and tags B; body text C (see `search/views.py` for ranking).
        """
        if connections[self.db].vendor != "postgresql":
            return 0
        config = search_config()
        tag_names = self.model.objects.filter(pk=OuterRef("pk")).annotate(
            names=StringAgg("tags__name", Value(" "))
        )
        return self.update(
            search_vector=(
                SearchVector("title", config=config, weight="A")
                + SearchVector("standfirst", config=config, weight="B")
                + SearchVector(StripTags("body"), config=config, weight="C")
                + SearchVector(Subquery(tag_names.values("names")), config=config, weight="B")
            )
        )
