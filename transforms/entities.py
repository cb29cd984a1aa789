"""Entity linking against the curated gazetteer (transforms/data/gazetteer.toml).

Why a gazetteer and not an NER model: the entities that matter here (SOEs and their
subsidiaries, ministries, a few executives, provinces, minerals) are a small closed set with
known aliases, and an analyst must be able to see why "Minmetals" and "China Minmetals
Corporation" are one company. All aliases compile into two alternation regexes (one
case-insensitive for names, one case-sensitive for acronyms and parenthesised chemical symbols),
built once, longest alias first, so one scan per sentence finds every mention.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple


@dataclass(frozen=True)
class Entity:
    """One gazetteer entry."""

    entity_id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    parent: str | None = None
    origin_class: str | None = None
    note: str = ""


class Mention(NamedTuple):
    """Where an entity is named in a sentence (a tuple: one is built per mention found)."""

    entity_id: str
    start: int
    end: int
    surface: str


class Gazetteer:
    """The entity table plus the compiled matchers."""

    def __init__(self, entities: tuple[Entity, ...]) -> None:
        self.entities = {entity.entity_id: entity for entity in entities}
        if len(self.entities) != len(entities):
            raise ValueError("duplicate entity id in gazetteer")
        folded: dict[str, str] = {}
        exact: dict[str, str] = {}
        for entity in entities:
            for alias in (entity.name, *entity.aliases):
                table = exact if _is_acronym(alias) else folded
                key = alias if table is exact else alias.lower()
                owner = table.setdefault(key, entity.entity_id)
                if owner != entity.entity_id:
                    raise ValueError(f"alias {alias!r} names both {owner} and {entity.entity_id}")
            for symbol in entity.symbols:
                exact[f"({symbol})"] = entity.entity_id
        self._folded = folded
        self._exact = exact
        self._straddles = _straddles((*folded, *exact))
        self._folded_re = _alternation(folded, flags=0)
        self._folded_re_slow = _alternation(folded, flags=re.IGNORECASE)
        self._exact_re = _alternation(exact, flags=0, first_char_skip=True)

    def find(self, text: str, *, lowered: str | None = None) -> list[Mention]:
        """All non-overlapping mentions, in text order (longest alias wins at a position).

        `lowered` is `text.lower()` when the caller already has it."""
        # Matching lower-cased text against lower-case aliases is several times faster than
        # IGNORECASE; the rare text whose length changes when lower-cased takes the slow path.
        if lowered is None:
            lowered = text.lower()
        same_length = len(lowered) == len(text)
        regex = self._folded_re if same_length else self._folded_re_slow
        folded_ids, exact_ids = self._folded, self._exact
        named = []
        for match in regex.finditer(lowered if same_length else text):
            start, end = match.span()
            surface = text[start:end]
            named.append(Mention(folded_ids[surface.lower()], start, end, surface))
        exact = []
        for match in self._exact_re.finditer(text):
            start, end = match.span()
            surface = text[start:end]
            exact.append(Mention(exact_ids[surface], start, end, surface))
        if not exact or not named:
            return named or exact  # each is already in text order without overlaps
        found = named + exact
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        return kept

    def joined_entity_ids(
        self,
        sentences: Sequence[str],
        folded: Sequence[str | None],
        mentions: Sequence[list[Mention]],
    ) -> list[str] | None:
        """The entity ids, in order, of `find(" ".join(sentences))`, read off the `mentions`
        already found in each sentence (`folded` are their `casefold.fold`s), so that a document
        scan can reuse the sentence scans of its paragraphs; None when that is not certain.

        Joining with spaces changes no match inside a sentence (a space bounds a name like the
        ends of the text do, and lower-cases alone), so the joined text can only differ by a
        name that straddles two sentences: one with a space where a boundary is, its part before
        the space ending the sentence before. Those few are checked here; a sentence whose
        lower-casing is missing or changes its length (where `find` takes its slow path) gives
        None too.
        """
        lowered = []
        for sentence, low in zip(sentences, folded, strict=True):
            if low is None or len(low) != len(sentence):
                return None
            lowered.append(low)
        if len(sentences) > 1:
            if self._straddles is None:
                return None
            texts = (" ".join(lowered), " ".join(sentences))
            boundary = -1  # index of the space after each sentence but the last
            for sentence in sentences[:-1]:
                boundary += len(sentence) + 1
                for text in texts:
                    for head, tail in self._straddles.get(text[boundary - 1], ()):
                        if text.endswith(head, 0, boundary) and text.startswith(tail, boundary + 1):
                            return None
        return [mention.entity_id for found in mentions for mention in found]

    def document_entity_ids(self, text: str, known: Mapping[str, Sequence[str]]) -> list[str]:
        """The entity ids, in order, of `find(text)`, scanning `text` line by line and taking a
        line's ids from `known` (line -> ids, from `joined_entity_ids`) when it is there.

        A line break bounds a name like the ends of the text do and no key holds one, so the
        lines can be scanned apart; a text whose lower-casing changes its length (where `find`
        takes its slow path on the whole text) is scanned whole.
        """
        if not known or self._straddles is None or len(text.lower()) != len(text):
            return [mention.entity_id for mention in self.find(text)]
        ids: list[str] = []
        for line in text.split("\n"):
            found = known.get(line)
            ids += found if found is not None else [m.entity_id for m in self.find(line)]
        return ids

    def entity_ids(self, text: str) -> tuple[str, ...]:
        """Distinct entity ids mentioned in `text`, first mention first."""
        return tuple(dict.fromkeys(m.entity_id for m in self.find(text)))

    def resolve(self, name: str) -> Entity | None:
        """The entity a whole name (an alias or canonical name) refers to, if any."""
        key = name.strip()
        entity_id = self._exact.get(key) or self._folded.get(key.lower())
        if entity_id is None and key.lower().startswith("the "):
            entity_id = self._folded.get(key[4:].lower())
        return self.entities.get(entity_id) if entity_id else None


def _straddles(keys: Sequence[str]) -> dict[str, list[tuple[str, str]]] | None:
    """For each key with a space, every (part before, part after) split at one of its spaces,
    by the last character before the space; None when a key starts with a space (it could begin
    at any boundary) or holds a line break (documents are scanned line by line)."""
    table: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        if key[:1].isspace() or "\n" in key:
            return None
        for at, char in enumerate(key):
            if char == " ":
                table.setdefault(key[at - 1], []).append((key[:at], key[at + 1 :]))
    return table


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 8


def _alternation(
    table: dict[str, str], *, flags: int, first_char_skip: bool = False
) -> re.Pattern[str]:
    r"""One regex matching any key, bounded so "Co" never matches inside "Cobalt".

    The keys are compiled as a character trie ("china (?:minmetals|northern …)") rather than a
    flat alternation: Python's regex engine then tries each prefix once per position, which is
    what keeps entity linking fast on a gazetteer of hundreds of aliases. A `$` right after a
    match is excluded so that "US$15 billion" is money, not a mention.

    `first_char_skip` checks the left bound after the key's first character instead of before
    it (`(?<![\w-].)`, the same condition): the pattern then starts with a set of characters, so
    the engine skips in C every position whose character starts no key. That pays for the
    acronyms and symbols (capitals and "(", rare in running text), not for names, whose first
    letters are most letters.
    """
    trie: dict = {}
    for key in table:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    if first_char_skip and "" not in trie:
        branches = [
            re.escape(char) + r"(?<![\w-].)" + _trie_pattern(child) for char, child in trie.items()
        ]
        return re.compile(rf"(?:{'|'.join(branches)})(?![\w$])", flags)
    return re.compile(rf"(?<![\w-])(?:{_trie_pattern(trie)})(?![\w$])", flags)


def _trie_pattern(node: dict) -> str:
    """Regex for a trie node; longer continuations are tried before the key ending here."""
    ends_here = "" in node
    branches = [re.escape(char) + _trie_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


@cache
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, parsed and compiled once per process."""
    raw = resources.files("transforms.data").joinpath("gazetteer.toml").read_text("utf-8")
    return Gazetteer(parse_gazetteer(raw))


def parse_gazetteer(toml_text: str) -> tuple[Entity, ...]:
    """Entities from gazetteer TOML text (see the file header for the fields)."""
    data = tomllib.loads(toml_text)
    return tuple(
        Entity(
            entity_id=row["id"],
            name=row["name"],
            type=row["type"],
            aliases=tuple(row.get("aliases", ())),
            symbols=tuple(row.get("symbols", ())),
            parent=row.get("parent"),
            origin_class=row.get("origin_class"),
            note=row.get("note", ""),
        )
        for row in data["entity"]
    )
