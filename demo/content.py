"""Reads the demo site's content from the data files in demo/content/ (see its README.md).

A story is an HTML file with a TOML header between `+++` lines (the convention of static site
generators such as Hugo): the body stays plain HTML a person can read and edit, not a string
escaped inside JSON or Python, and TOML is read by the standard library. The file name is
`NN-<slug>.html`: NN orders the stories (it sets the minute each one is published at) and the
slug is the story's identity, by which load_demo knows it is already loaded even if renamed.
"""

import tomllib
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"
DELIMITER = "+++\n"


def read_page(path):
    """The TOML header of an HTML file, with the HTML after it as "body"."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith(DELIMITER) or f"\n{DELIMITER}" not in text:
        raise ValueError(f"{path} must start with a TOML header between {DELIMITER!r} lines.")
    header, body = text.removeprefix(DELIMITER).split(f"\n{DELIMITER}", 1)
    try:
        data = tomllib.loads(header)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: {error}") from None
    return {**data, "body": body.strip()}


def read_toml(name):
    try:
        return tomllib.loads((CONTENT / name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{CONTENT / name}: {error}") from None


def site():
    """The About page: site_name, tagline, summary and body."""
    return read_page(CONTENT / "about.html")


def authors():
    return read_toml("authors.toml")["authors"]


def moderation():
    """Word lists and sanctions for the moderation console (moderation.toml)."""
    return read_toml("moderation.toml")


def sections():
    return read_toml("sections.toml")["sections"]


def stories():
    """Every story in file-name order, with its slug and its readers' comments."""
    comments = read_toml("comments.toml")
    result = []
    for path in sorted((CONTENT / "stories").glob("*.html")):
        number, _, slug = path.stem.partition("-")
        if not (number.isdigit() and slug):
            raise ValueError(f"{path} must be named NN-<slug>.html, e.g. 07-{path.stem}.html.")
        result.append({"slug": slug, **read_page(path), "comments": comments.pop(slug, [])})
    if comments:
        # A typo in a slug would otherwise lose those comments without a word.
        raise ValueError(f"comments.toml names stories that do not exist: {sorted(comments)}")
    return result
