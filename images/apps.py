from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """Uploaded images: their checks, renditions and <picture> markup, and the images inside
    story bodies (BodyImage).

    Below articles: it knows image files and fields, never what a story is. What does need
    the story (who may upload, which field is a story's featured image) is articles' part.
    """

    name = "images"
    verbose_name = "Images"
