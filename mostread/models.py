from django.db import models


class ArticleView(models.Model):
    """Page views of a story in one hour, flushed in batches from counters in the cache."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="views")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        # Made by articles (0005), which held the model until the move to this app: the table
        # keeps its name, so servers on the old and the new code share it during a deploy.
        db_table = "articles_articleview"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="article_view_unique_hour")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="article_view_hour_idx")]

    def __str__(self):
        return f"{self.article} at {self.hour:%Y-%m-%d %H}:00: {self.count}"
