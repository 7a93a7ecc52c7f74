import datetime
from functools import cached_property
from itertools import groupby

from django.conf import settings
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import MonthArchiveView, YearArchiveView
from taggit.models import Tag

from pagecache.generations import cached, cached_count
from pagecache.pages import FREE_TEXT, PAGINATED, reader_page

from . import cache_tags
from .fragments import (
    Headline,
    card_model,
    headline_blocks,
    kept_card_rows,
    render_fragments,
    templates_version,
)
from .fragments import front_page as front_page_fragments
from .furniture import months_with_stories, site_furniture
from .models import Article, Author
from .pages import public_story, render_article_page, report_shown
from .querysets import attach_topics_and_authors

FRONT_PAGE_LATEST = 6
FRONT_PAGE_PER_CATEGORY = 4


@reader_page
def front_page(request):
    lead, latest = lead_and_latest()
    # The sections' 160 headlines, each block drawn once per revision of what it shows (the
    # lead, shown above, is left out of its section's).
    below = section_blocks(lead)
    report_shown(request, [lead, *latest, *below["stories"]])
    cache_tags.carries(request, cache_tags.FRONT)
    html = front_page_fragments(lead, latest)
    return render(
        request,
        "articles/front_page.html",
        {
            # A model: the live lead's key events (live/) draw from it.
            "lead": card_model(lead) if lead else None,
            "latest": latest,
            "sections": below["blocks"],
            "section_stories": [story.pk for story in below["stories"]],
            # Drawn once per revision of what they show, one cache read.
            "front": html,
        },
    )


def section_blocks(lead):
    """{"blocks": each section's block of its newest headlines, drawn, in navigation order;
    "stories": the stories they show, as rows with `pk`, `published_at` and `updated_at`}.

    Which stories they are (a window over every section: the page's costliest query) changes
    only with what raises the generation, and what the blocks show of them (headline, address,
    date) only with an edit in place, which raises ANY_STORY: so the blocks are drawn once per
    generation and number of ANY_STORY (and lead, left out of its section's block), and kept.
    Drawing them anew still draws only the blocks whose rows changed (headline_blocks)."""
    lead_pk = lead.pk if lead else None

    def draw():
        headlines = map(
            Headline._make,
            # One more than shown, in case the lead is one.
            Article.objects.published()
            .latest_per_category(FRONT_PAGE_PER_CATEGORY + 1)
            .values_list(*Headline._fields),
        )
        per_category = {}
        for row in headlines:
            if row.id != lead_pk:
                per_category.setdefault(row.category_id, []).append(row)
        sections = [
            (category, per_category[category.pk][:FRONT_PAGE_PER_CATEGORY])
            for category in site_furniture()["nav_categories"]
            if per_category.get(category.pk)
        ]
        return {
            "blocks": [
                str(block) for block in headline_blocks("includes/section_block.html", sections)
            ],
            "stories": [row for _, shown in sections for row in shown],
        }

    kept = cached(
        f"front:sections:{templates_version()}:{lead_pk}", draw, tags=[cache_tags.ANY_STORY]
    )
    return {"blocks": [mark_safe(block) for block in kept["blocks"]], "stories": kept["stories"]}


def lead_and_latest():
    """The lead story (the newest featured one, else the newest) and the latest others, as
    card rows (fragments.card_rows).

    Which they are changes only with what raises the generation (publishing, a story taken
    down, the lead slot given to another), so they are chosen once per generation; the
    stories are read by id and kept until one of them changes (their own tags: an edit, a live
    update), so an edited headline shows at once."""

    def choose():
        published = Article.objects.published()
        featured = published.filter(is_featured=True).values("pk")[:1]
        newest = published.values("pk")[: FRONT_PAGE_LATEST + 1]
        stories = list(
            published.in_any_of(featured, newest)
            .annotate(is_lead=Case(When(pk__in=featured, then=True), default=False))
            .values_list("pk", "is_lead")
        )
        lead = next((pk for pk, is_lead in stories if is_lead), stories[0][0] if stories else None)
        return [lead, [pk for pk, _ in stories if pk != lead][:FRONT_PAGE_LATEST]]

    lead_pk, latest_pks = cached("front:lead-and-latest", choose)
    chosen = [pk for pk in (lead_pk, *latest_pks) if pk is not None]
    rows = kept_card_rows(
        "front:cards",
        lambda: Article.objects.published().filter(pk__in=chosen),
        tags=[cache_tags.story_id(pk) for pk in chosen],
    )
    found = {row.pk: row for row in rows}
    return found.get(lead_pk), [found[pk] for pk in latest_pks if pk in found]


def card_rows_for_page(context, name="articles"):
    """The page's stories as card rows with their bylines (fragments.card_rows: no model made
    for a card drawn before), for the cards; the page cache is told when they last changed.

    Which stories a list shows changes only with what raises the generation (publishing, a
    takedown, a story moved or retagged, a byline), and what their cards show only with an
    edit in place (ANY_STORY): so the rows are kept under both, by the list's address and
    page, as the front page's are."""
    request = context["view"].request
    page = context.get("page_obj")
    stories = kept_card_rows(
        f"list:{request.path}:{page.number if page is not None else 1}",
        lambda: context[name],
        unbounded=True,
        tags=[cache_tags.ANY_STORY],
    )
    report_shown(request, stories)
    context[name] = stories
    return context


# ?replyto=ID: the comment form answers that comment (comments/templatetags/comment_tags.py).
@reader_page(params={"replyto": FREE_TEXT})
class ArticleDetail(DetailView):
    """One story. Staff may also open the unpublished stories they may see in the admin (their
    own, or every one for editors), marked as not public."""

    context_object_name = "article"

    def get_queryset(self):
        articles = Article.objects.for_story_page()
        if self.request.user.is_staff:
            # The admin's own rule: a writer never reads a colleague's draft by its address.
            return articles.published() | articles.visible_to(self.request.user)
        return articles.published()

    def get_object(self, queryset=None):
        """The story, with its section, corrections, tags and credited authors: two queries,
        or none for a reader once read (pages.public_story)."""
        if queryset is None and not self.request.user.is_staff:
            story = public_story(self.kwargs["slug"])
            if story is not None:
                return story
        return attach_topics_and_authors(super().get_object(queryset))

    def get(self, request, *args, **kwargs):
        try:
            day = datetime.date(kwargs["year"], kwargs["month"], kwargs["day"])
        except ValueError:
            raise Http404("No such date.") from None
        # A 404 here may still be a renamed story's old address: articles/redirects.py.
        self.object = self.get_object()
        # The date is part of the address for readers, not for lookup: if the story's date
        # changed since a link was shared, send the reader to where it lives now.
        if timezone.localdate(self.object.published_at) != day:
            return redirect(self.object, permanent=True)
        return render_article_page(request, self.object)


def short_link(request, pk):
    """A story's short address, which the share links carry: a permanent redirect to where it
    lives now, under the story page's rule (readers reach public stories only)."""
    return redirect(get_object_or_404(Article.objects.published(), pk=pk), permanent=True)


@method_decorator(never_cache, name="dispatch")
class ArticlePreview(ArticleDetail):
    """A story exactly as readers will see it, draft or scheduled, from the admin: for the
    staff the admin shows it to (editors any story, writers their own, moderators published
    ones); anyone else gets a 404, as for a story that does not exist."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404("No such story.")
        self.object = self.get_object()
        return render_article_page(request, self.object)


class CountedList:
    """A list of stories whose length is counted once per content generation: a busy tag's
    16,000 stories take longer to count than the page takes to render."""

    def get_allow_empty(self):
        """Always, for ListView: it would ask the database whether the list is empty on every
        page; get_paginator() answers from the kept count."""
        return True

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        paginator.count = cached_count(f"{type(self).__name__}:{self.kwargs['slug']}", queryset)
        if not paginator.count and not self.allow_empty:
            raise Http404("No stories here.")
        return paginator


@reader_page(params=PAGINATED)
class AuthorArticleList(CountedList, ListView):
    template_name = "articles/author_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"
    # Nobody's page until their first story is published, staff included: a new hire's name and
    # bio stay private until then (their feeds too, and the sitemap lists only such authors).
    allow_empty = False

    def get_queryset(self):
        # Authors are shown to readers: any change of one raises the generation.
        slug = self.kwargs["slug"]
        self.author = cached(f"author:{slug}", lambda: Author.objects.filter(slug=slug).first())
        if self.author is None:
            raise Http404("No such author.")
        return Article.objects.published().for_listing().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(author=self.author, **kwargs)
        cache_tags.carries(self.request, cache_tags.author(self.author))
        return card_rows_for_page(context)


@reader_page(params=PAGINATED)
class CategoryArticleList(CountedList, ListView):
    template_name = "articles/category_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        # The sections are all in the furniture, kept per generation: no query to find one.
        sections = {section.slug: section for section in site_furniture()["nav_categories"]}
        self.category = sections.get(self.kwargs["slug"])
        if self.category is None:
            raise Http404("No such section.")
        return Article.objects.published().for_listing().filter(category=self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            category=self.category, current_category=self.category, **kwargs
        )
        cache_tags.carries(self.request, cache_tags.section(self.category))
        return card_rows_for_page(context)


@reader_page(params=PAGINATED)
class TagArticleList(CountedList, ListView):
    template_name = "articles/tag_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"
    # A tag used only on drafts must not reveal itself.
    allow_empty = False

    def get_queryset(self):
        # A tag renamed or put on a story raises the generation: kept under it.
        slug = self.kwargs["slug"]
        self.tag = cached(f"topic:{slug}", lambda: Tag.objects.filter(slug=slug).first())
        if self.tag is None:
            raise Http404("No such topic.")
        return Article.objects.published().for_listing().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tag=self.tag, **kwargs)
        cache_tags.carries(self.request, cache_tags.topic(self.tag))
        return card_rows_for_page(context)


class ArchiveMixin:
    """The year and month archives, answered from one list of every month with stories.

    That list (one query) tells whether the period has stories, which months to show, the
    previous and next periods and how many stories to paginate, each of which Django's date
    views would otherwise ask the database for separately.
    """

    date_field = "published_at"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    @cached_property
    def months_with_stories(self):
        return months_with_stories()

    def months_between(self, since, until):
        return [row for row in self.months_with_stories if since <= row["month"] < until]

    def get_dated_queryset(self, **lookup):
        since, until = lookup[f"{self.date_field}__gte"], lookup[f"{self.date_field}__lt"]
        self.period_months = self.months_between(since, until)
        if not self.period_months:
            raise Http404("No stories were published then.")
        return self.get_queryset().filter(**lookup)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        months = [row["month"] for row in self.period_months]
        return months if ordering == "DESC" else months[::-1]

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        paginator.count = sum(row["count"] for row in self.period_months)
        return paginator

    def neighbour(self, date, later, period):
        """The nearest year or month before or after `date`'s that has stories, or None."""
        keys = {row["month"].date().replace(**period) for row in self.months_with_stories}
        start = date.replace(**period)
        found = [key for key in keys if (key > start if later else key < start)]
        if not found:
            return None
        return min(found) if later else max(found)

    def get_context_data(self, **kwargs):
        cache_tags.carries(self.request, cache_tags.ARCHIVE)
        return card_rows_for_page(super().get_context_data(**kwargs))

    def get_next_year(self, date):
        return self.neighbour(date, later=True, period={"month": 1, "day": 1})

    def get_previous_year(self, date):
        return self.neighbour(date, later=False, period={"month": 1, "day": 1})

    def get_next_month(self, date):
        return self.neighbour(date, later=True, period={"day": 1})

    def get_previous_month(self, date):
        return self.neighbour(date, later=False, period={"day": 1})


@reader_page
class ArticleArchive(TemplateView):
    """The "Articles Archive": every month that has stories, grouped by year, with counts."""

    template_name = "articles/article_archive.html"

    def get_context_data(self, **kwargs):
        months = months_with_stories(revised=True)
        years = tuple(
            (year, tuple((row["month"], row["count"]) for row in group))
            for year, group in groupby(months, key=lambda row: row["month"].year)
        )
        dates = [row[name] for row in months for name in ("published", "revised", "corrected")]
        report_shown(self.request, [], *dates)
        cache_tags.carries(self.request, cache_tags.ARCHIVE)
        # Ten years are 120 links, each a reverse() and a date drawn: once per change of them.
        (archive,) = render_fragments([("includes/archive_years.html", {"years": years})])
        return super().get_context_data(archive=archive, **kwargs)


@reader_page(params=PAGINATED)
class ArticleYearArchive(ArchiveMixin, YearArchiveView):
    make_object_list = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(months=self.period_months, **kwargs)


@reader_page(params=PAGINATED)
class ArticleMonthArchive(ArchiveMixin, MonthArchiveView):
    month_format = "%m"


@reader_page
class AboutView(TemplateView):
    template_name = "articles/about.html"

    def get_context_data(self, **kwargs):
        page = site_furniture()["about"]
        report_shown(self.request, [], page.updated_at)
        return super().get_context_data(page=page, **kwargs)
