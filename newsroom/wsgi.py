import os

from django.core.wsgi import get_wsgi_application

from live.polls import LivePolls

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# Every open live story polls its version each second: answered from the cache in front of the
# site when the cache holds the answer (live/polls.py), by the site otherwise.
application = LivePolls(get_wsgi_application())
