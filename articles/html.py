"""Rich text from editors, made safe to show: an allow-list of tags and attributes (nh3)."""


def sanitize_html(html):
    # Placeholder: the nh3 allow-list lands in the next commit.
    return html
