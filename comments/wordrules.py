"""Matching a comment against the moderators' word lists (comments.models.WordList).

A rule is a word or a phrase of up to MAX_PHRASE_WORDS words; ending it with "*" makes its last
word a prefix ("idiot*" matches "idiotic"), otherwise every word must match whole ("idiot" does
not match "idiotic"). Text and rules go through the same steps, so they meet on equal terms:

1. Words are runs of letters and digits; combining accents and invisible characters (zero-width
   spaces and joiners, soft hyphens) count as part of the word they sit in, so "id\u200biot" is
   one word. Everything else (spaces, punctuation, "_") separates words: "half-wit", "half wit"
   and "half—wit" are the same two words.
2. Each word is folded: NFKC (full-width and styled letters such as 𝐢𝐝𝐢𝐨𝐭 become plain ones),
   accents and invisible characters dropped ("Idiöt" is "idiot"), case folded ("ß" is "ss").
3. Lookalike letters: in a word that mixes Latin letters with Cyrillic or Greek ones that look
   like them ("іdіоt" with Cyrillic і and о), those letters become the Latin ones. A word written
   wholly in Cyrillic or Greek is left alone, so Russian or Kazakh words are never taken for
   English ones ("сор" stays "сор", not "cop"); rules may be written in those scripts too.
4. Digits for letters (0→o, 1→i, 3→e, 4→a, 5→s, 7→t) only in a word that also has a letter
   ("1d10t" is "idiot"); numbers ("2024", "101") are left alone.

Not caught: letters spaced out with punctuation ("i.d.i.o.t" is five words), and words written
wholly in lookalike letters of another script.

The cost per comment is O(words × longest rule in words), whatever the number of rules: every
run of up to that many words is looked up in a dict (a run is extended only while some rule
begins with it), and for prefix rules each run's last word is cut to each prefix length the
rules use (a handful) and looked up too. The rules are compiled
once per version of the lists (see compiled()), never per comment.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

MAX_PHRASE_WORDS = 6
# Characters that sit inside a word without separating it: combining accents (the Unicode blocks
# of combining marks) and invisible ones (soft hyphen, zero-width space/joiners, word joiner,
# byte-order mark).
IN_WORD = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u00ad\u200b-\u200d\u2060\ufeff"
)
WORD = re.compile(rf"(?:[^\W_]|[{IN_WORD}])+")
DROPPED_CATEGORIES = {"Mn", "Me", "Cf"}
# Cyrillic and Greek letters that look like Latin ones, capitals and small.
LOOKALIKES = str.maketrans(
    {
        **dict.fromkeys("АаΑα", "a"),
        **dict.fromkeys("ВΒβ", "b"),
        **dict.fromkeys("СсϹϲ", "c"),
        **dict.fromkeys("ԁ", "d"),
        **dict.fromkeys("ЕеΕε", "e"),
        **dict.fromkeys("НһΗ", "h"),
        **dict.fromkeys("ІіΙιӏ", "i"),
        **dict.fromkeys("Јј", "j"),
        **dict.fromkeys("КкΚκ", "k"),
        **dict.fromkeys("МΜ", "m"),
        **dict.fromkeys("Ν", "n"),
        **dict.fromkeys("ОоΟοσ", "o"),
        **dict.fromkeys("РрΡρ", "p"),
        **dict.fromkeys("ԛ", "q"),
        **dict.fromkeys("Ѕѕ", "s"),
        **dict.fromkeys("ТΤτ", "t"),
        **dict.fromkeys("υ", "u"),
        **dict.fromkeys("νѵ", "v"),
        **dict.fromkeys("ԝω", "w"),
        **dict.fromkeys("ХхΧχ", "x"),
        **dict.fromkeys("УуΥγү", "y"),
        **dict.fromkeys("Ζ", "z"),
    }
)
LOOKALIKE_LETTERS = frozenset(chr(code) for code in LOOKALIKES)
DIGITS_AS_LETTERS = str.maketrans("013457", "oieast")
LATIN = re.compile(r"[a-zA-Z]")
DIGIT = re.compile(r"[0-9]")
LETTER = re.compile(r"[^\W\d_]")


# Readers' words repeat (within a comment and across them): each is folded once per process.
@lru_cache(maxsize=100_000)
def fold(word):
    """One word as the rules see it (steps 2–4 of the module's docstring)."""
    if word.isascii():
        folded = word.lower()
    else:
        text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", word))
        text = "".join(c for c in text if unicodedata.category(c) not in DROPPED_CATEGORIES)
        if LATIN.search(text) and not LOOKALIKE_LETTERS.isdisjoint(text):
            text = text.translate(LOOKALIKES)
        folded = text.casefold()
    if DIGIT.search(folded) and LETTER.search(folded):
        folded = folded.translate(DIGITS_AS_LETTERS)
    return folded


def words(text):
    """[(folded word, start, end), ...]: the words of `text`, with where each stands in it."""
    found = []
    for match in WORD.finditer(text):
        folded = fold(match[0])
        if folded:
            found.append((folded, match.start(), match.end()))
    return found


class RuleError(ValueError):
    """A rule that cannot be matched as written; the message says why, for the moderator."""


def parse_rule(rule):
    """(folded words, is_prefix) for one rule as a moderator wrote it, or RuleError."""
    text = rule.strip()
    is_prefix = text.endswith("*")
    text = text.removesuffix("*").rstrip() if is_prefix else text
    if "*" in text:
        raise RuleError(f"“{rule}”: a * may only end a rule (idiot* matches idiotic).")
    folded = [word for word, _, _ in words(text)]
    if not folded:
        raise RuleError(f"“{rule}” has no letters or digits to match.")
    if len(folded) > MAX_PHRASE_WORDS:
        raise RuleError(f"“{rule}” is longer than {MAX_PHRASE_WORDS} words.")
    return folded, is_prefix


def rules_of(text):
    """The rules in a list's text: one a line, blank lines and duplicates left out."""
    seen = {}
    for line in text.splitlines():
        line = line.strip()
        if line and line.casefold() not in seen:
            seen[line.casefold()] = line
    return list(seen.values())


@dataclass(frozen=True)
class Rule:
    text: str  # As the moderator wrote it.
    list_name: str
    kind: str


@dataclass
class CompiledRules:
    """Every rule of every list, ready to match: built once per version of the lists."""

    # "word word" (folded, joined by spaces) -> the rules that are exactly those words.
    whole: dict = field(default_factory=dict)
    # "word word pre" (the last word cut to its prefix) -> the prefix rules.
    prefixes: dict = field(default_factory=dict)
    prefix_lengths: list = field(default_factory=list)
    # The first words of every rule longer than them: a run of words that is not one of these
    # starts no rule, and is not extended further.
    heads: set = field(default_factory=set)
    longest: int = 0

    def add(self, rule_text, list_name, kind):
        folded, is_prefix = parse_rule(rule_text)
        rule = Rule(rule_text.strip(), list_name, kind)
        table = self.prefixes if is_prefix else self.whole
        table.setdefault(" ".join(folded), []).append(rule)
        self.longest = max(self.longest, len(folded))
        self.heads.update(" ".join(folded[:n]) for n in range(1, len(folded)))
        if is_prefix and len(folded[-1]) not in self.prefix_lengths:
            self.prefix_lengths.append(len(folded[-1]))
            self.prefix_lengths.sort()

    def matches(self, text):
        """[Match, ...] for every rule found in `text`, in the order they occur."""
        found = words(text)
        results = []
        for i in range(len(found)):
            joined = ""
            for n in range(min(self.longest, len(found) - i)):
                last = found[i + n][0]
                head = joined
                joined = f"{joined} {last}" if n else last
                span = (found[i][1], found[i + n][2])
                for rule in self.whole.get(joined, ()):
                    results.append(Match(rule, *span))
                if self.prefixes:
                    for length in self.prefix_lengths:
                        if length > len(last):
                            break
                        key = f"{head} {last[:length]}" if n else last[:length]
                        for rule in self.prefixes.get(key, ()):
                            results.append(Match(rule, *span))
                if joined not in self.heads:
                    break
        return results


@dataclass(frozen=True)
class Match:
    rule: Rule
    start: int
    end: int

    def as_json(self, text, field="body"):
        """What a comment keeps of the match (Comment.matched_words); `field`: where `text` is
        from, the comment ("body") or the name it is posted under ("name")."""
        return {
            "field": field,
            "rule": self.rule.text,
            "list": self.rule.list_name,
            "kind": self.rule.kind,
            "start": self.start,
            "end": self.end,
            "text": text[self.start : self.end],
        }


def compile_rules(lists):
    """CompiledRules from [(list name, kind, text of its rules), ...]. A rule that cannot be
    matched is left out (the admin form refuses such a rule before it is saved)."""
    compiled = CompiledRules()
    for name, kind, text in lists:
        for rule in rules_of(text):
            try:
                compiled.add(rule, name, kind)
            except RuleError:
                continue
    return compiled


def marked_spans(text, matched, field="body"):
    """[(piece, is_matched), ...] covering `text` (the comment's `field`): the matched spans
    (overlaps joined) and the text between them, for highlighting with <mark>. A span outside
    the text, or that no longer holds the words it matched (a moderator edited the comment
    since), is left unmarked."""
    spans = sorted(
        (m["start"], m["end"])
        for m in matched
        if m.get("field", "body") == field
        and isinstance(m.get("start"), int)
        and isinstance(m.get("end"), int)
        and 0 <= m["start"] < m["end"] <= len(text)
        and m.get("text", text[m["start"] : m["end"]]) == text[m["start"] : m["end"]]
    )
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, at = [], 0
    for start, end in merged:
        if at < start:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
