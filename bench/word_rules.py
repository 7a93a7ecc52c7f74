"""How long the moderators' word lists take per comment (comments/wordrules.py), issue 15.

5,000 rules (single words, phrases of two to six words, prefixes) against 3,000-character
comments of several kinds: plain English, English with accents, lookalike letters and hits,
Cyrillic text, and the worst case for the lookup, one-letter words. Prints the time to compile
the rules and the median and 95th percentile microseconds per comment; no database needed.
Times are CPU time of this process (time.process_time), so that other work on a shared machine
does not count; each comment is matched once cold (its words not yet folded) — the cost a new
comment pays.

    .venv/bin/python bench/word_rules.py [--rules 5000] [--comments 200]
"""

import argparse
import random
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.vocabulary import WORDS
from comments.wordrules import compile_rules, fold

LENGTH = 3000


def made_up_word(rng):
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 10)))


def make_rules(rng, count):
    """Three lists: 60 % single words, 25 % phrases, 15 % prefixes."""
    rules = []
    for n in range(count):
        kind = n % 20
        if kind < 12:
            rules.append(made_up_word(rng))
        elif kind < 17:
            rules.append(" ".join(made_up_word(rng) for _ in range(rng.randint(2, 6))))
        else:
            rules.append(made_up_word(rng)[:5] + "*")
    # A few that real comments will hit.
    rules += ["idiot", "cheap pill*", "buy now", "moron*"]
    third = len(rules) // 3
    return [
        ("Insults", "reject", "\n".join(rules[:third])),
        ("Spam", "spam", "\n".join(rules[third : 2 * third])),
        ("Watch", "suspect", "\n".join(rules[2 * third :])),
    ]


def fill(rng, pieces):
    words = []
    while len(" ".join(words)) < LENGTH:
        words.append(rng.choice(pieces))
    return " ".join(words)[:LENGTH]


def make_comments(rng, count):
    plain = list(WORDS)
    mixed = [*plain, "Idiöt!", "ｉｄｉｏｔ", "\u0456d\u0456\u043et", "cheap—pills", "café", "1d10t"]
    cyrillic = ["новости", "правительство", "сор", "рынок", "цены", "вода", "Астана", "год"]
    kinds = {
        "plain English": plain,
        "accents, lookalikes, hits": mixed,
        "Cyrillic": cyrillic,
        "one-letter words": list("abcdefghij"),
    }
    return {name: [fill(rng, pieces) for _ in range(count)] for name, pieces in kinds.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=200)
    options = parser.parse_args()
    rng = random.Random(15)
    lists = make_rules(rng, options.rules)

    compile_times = []
    for _ in range(5):
        fold.cache_clear()
        started = time.process_time()
        compiled = compile_rules(lists)
        compile_times.append(time.process_time() - started)
    print(
        f"{options.rules:,} rules (longest {compiled.longest} words, "
        f"{len(compiled.prefix_lengths)} prefix lengths): compiled in "
        f"{statistics.median(compile_times) * 1000:.0f} ms (median of 5)"
    )
    print(f"\n| {LENGTH:,}-character comments | matches each | median µs | p95 µs |")
    print("|---|---:|---:|---:|")
    for name, comments in make_comments(rng, options.comments).items():
        timings, found = [], 0
        for text in comments:
            fold.cache_clear()
            started = time.process_time()
            found = len(compiled.matches(text))
            timings.append((time.process_time() - started) * 1e6)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"| {name} | {found} | {statistics.median(timings):,.0f} | {p95:,.0f} |")


if __name__ == "__main__":
    main()
