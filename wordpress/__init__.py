"""Moving a WordPress site in: its export file (WXR) read safely, its posts' HTML cleaned,
and the import itself (`manage.py import_wordpress`).

- `wxr`: the streaming, entity-refusing reader; yields authors, terms and items.
- `content`: Gutenberg block comments and shortcodes turned into the HTML our pages allow.
- `importer`: matching and saving, keyed by WordPress IDs so that a re-run updates.
"""
