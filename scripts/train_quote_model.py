"""Train the lost-byte model on the clean corpus and write transforms/data/quote_model.json.

Run: uv run python -m scripts.train_quote_model
The corpus is the clean seeds (000-002, 004) plus benchmarks/corpus/*.txt; seed 003 (the
damaged one) is never used, so its test is a real check. Re-run after changing the corpus or
`transforms._mojibake_model.features`, and commit the JSON with the change.
"""

from pathlib import Path

from benchmarks.repair_bench import clean_documents
from transforms._mojibake_model import train

OUTPUT = Path(__file__).resolve().parents[1] / "transforms" / "data" / "quote_model.json"


def main() -> None:
    documents = clean_documents()
    model = train(text for _, text in documents)
    OUTPUT.write_text(model.to_json() + "\n", encoding="utf-8")
    size = OUTPUT.stat().st_size
    print(f"{len(documents)} documents -> {OUTPUT} ({size} bytes): {' '.join(model.labels)}")


if __name__ == "__main__":
    main()
