"""Claim-tagger evaluation against the hand-labelled gold sets (tests/gold/seed_NNN.jsonl).

Run: `uv run python -m benchmarks.claims_eval` (add `--speed` for a throughput figure).

Gold rows are matched to tagged sentences by their letters and digits only, so a change in
punctuation repair (’ vs ') does not unmatch them; a gold sentence the splitter no longer
produces counts as a miss for every label. Reported: precision, recall and F1 for "is a claim",
for each claim type, for hedged, for each section role; attribution accuracy over the gold
claims (the tagger's `attributed_to` equals the gold one).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.seed_articles import seed_article, seed_source
from transforms.claim_types import CLAIM_TYPES
from transforms.claims import extract_claims
from transforms.section_roles import ROLES

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold"


def sentence_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class Report:
    labels: dict[str, Counts] = field(default_factory=dict)
    attribution_correct: int = 0
    attribution_total: int = 0
    type_correct: int = 0
    type_total: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self, name: str) -> Counts:
        return self.labels.setdefault(name, Counts())

    @property
    def attribution_accuracy(self) -> float:
        return self.attribution_correct / self.attribution_total if self.attribution_total else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.type_total if self.type_total else 1.0

    def macro_f1(self, prefix: str) -> float:
        values = [c.f1 for name, c in self.labels.items() if name.startswith(prefix) and c.support]
        return sum(values) / len(values) if values else 0.0


def load_gold(index: int) -> list[dict]:
    path = GOLD / f"seed_{index:03d}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(indices: range = range(5)) -> Report:
    """Tag every seed and compare with its gold rows."""
    report = Report()
    for index in indices:
        claim_set = extract_claims(seed_article(index), seed_source(index))
        by_id = {c.claim_id: c for c in claim_set.claims}
        tagged = {sentence_key(s.text): s for s in claim_set.sentences}
        for gold in load_gold(index):
            sentence = tagged.get(sentence_key(gold["sentence"]))
            claim = by_id.get(sentence.claim_id) if sentence and sentence.claim_id else None
            report.counts("claim").add(gold["is_claim"], claim is not None)
            for role in ROLES:
                report.counts(f"role:{role}").add(
                    gold["section_role"] == role, bool(sentence and sentence.section_role == role)
                )
            if not gold["is_claim"]:
                continue
            for ctype in CLAIM_TYPES:
                report.counts(f"type:{ctype}").add(
                    gold["claim_type"] == ctype, bool(claim and claim.claim_type == ctype)
                )
            report.counts("hedged").add(gold["hedged"], bool(claim and claim.hedged))
            report.type_total += 1
            report.type_correct += bool(claim and claim.claim_type == gold["claim_type"])
            report.attribution_total += 1
            if claim and claim.attributed_to == gold["attributed_to"]:
                report.attribution_correct += 1
            elif claim:
                report.errors.append(
                    f"seed {index:03d} attribution: got {claim.attributed_to!r}, gold "
                    f"{gold['attributed_to']!r}: {gold['sentence'][:70]}"
                )
            if claim and claim.claim_type != gold["claim_type"]:
                report.errors.append(
                    f"seed {index:03d} type: got {claim.claim_type}, gold {gold['claim_type']}: "
                    f"{gold['sentence'][:70]}"
                )
    return report


def speed(repeats: int = 20) -> tuple[float, float]:
    """(articles per second, ms per sentence) tagging the four newsletter seeds."""
    articles = [(seed_article(i), seed_source(i)) for i in range(4)]
    sentences = sum(len(extract_claims(a, s).sentences) for a, s in articles)
    start = time.perf_counter()
    for _ in range(repeats):
        for article, source in articles:
            extract_claims(article, source)
    elapsed = time.perf_counter() - start
    return repeats * len(articles) / elapsed, elapsed * 1000 / (repeats * sentences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every mismatch")
    parser.add_argument("--speed", action="store_true", help="measure tagging throughput")
    args = parser.parse_args()
    report = evaluate()
    print(f"{'label':28} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
    for name, counts in report.labels.items():
        print(
            f"{name:28} {counts.precision:6.3f} {counts.recall:6.3f} {counts.f1:6.3f} "
            f"{counts.support:8d}"
        )
    print(f"claim type accuracy (micro F1) {report.type_accuracy:.3f}")
    print(f"claim type macro F1           {report.macro_f1('type:'):.3f}")
    print(f"section role macro F1         {report.macro_f1('role:'):.3f}")
    print(f"attribution accuracy          {report.attribution_accuracy:.3f}")
    if args.errors:
        print("\n".join(report.errors))
    if args.speed:
        per_second, per_sentence = speed()
        print(f"speed: {per_second:.0f} articles/s, {per_sentence:.3f} ms/sentence (1 core)")


if __name__ == "__main__":
    main()
