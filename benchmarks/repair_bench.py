"""How much damage text repair undoes, per mojibake variant, and what it leaves alone.

Run: uv run python -m benchmarks.repair_bench

Clean documents are corrupted the way real pages were (see `transforms._mojibake_thai`) and
repaired; "share restored" counts damaged characters that came back exactly. The lost-byte
model is evaluated with leave-one-document-out training, so no document is scored by a model
that saw it; its errors are listed per document and per confusion. Clean English and foreign
text must come back unchanged (share 1.0).
"""

from __future__ import annotations

import difflib
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from transforms import encoding
from transforms._mojibake_model import QuoteModel, train
from transforms._mojibake_thai import damage

ROOT = Path(__file__).resolve().parents[1]
CLEAN_SEEDS = ("000", "001", "002", "004")

FOREIGN = {
    "thai": (
        "ประเทศไทยเป็นผู้ผลิตแร่หายากรายใหญ่ในเอเชียตะวันออกเฉียงใต้ รัฐบาลประกาศแผนพัฒนา"
        "อุตสาหกรรมแร่ฉบับใหม่ เมื่อวันอังคารที่ผ่านมา\nรถ ไฟ ฟ้า และ “แบตเตอรี่” – ปี ๒๕๖๘"
    ),
    "chinese": (
        "中国五矿集团有限公司与北京科技大学签署战略合作协议。双方将在稀有金属、人才培养等方面"
        "深化合作，推动产学研用一体化。“十五五”期间，稀土产业——尤其是分离环节——将继续整合。"
    ),
    "vietnamese": (
        "Việt Nam có trữ lượng đất hiếm lớn thứ hai thế giới. Chính phủ đã phê duyệt quy hoạch "
        "khai thác – chế biến khoáng sản đến năm 2030, tầm nhìn đến 2050; “đất hiếm” là ưu tiên."
    ),
}


def clean_documents() -> list[tuple[str, str]]:
    """(name, text) of every clean English document: the clean seeds and benchmarks/corpus/."""
    paths = [p for seed in CLEAN_SEEDS for p in sorted((ROOT / "samples/seeds").glob(f"{seed}_*"))]
    paths += sorted((ROOT / "benchmarks/corpus").glob("*.txt"))
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths]


def corrupt_lossy(text: str) -> str:
    """Variant A: C1 bytes dropped."""
    return damage(text, "dropped")


def corrupt_c1_kept(text: str) -> str:
    """Variant A2: C1 bytes kept as C1 control characters."""
    return damage(text, "control")


def corrupt_cp1252(text: str) -> str:
    """Variant B: C1 bytes re-read as cp1252 (undefined ones as C1 controls)."""
    return damage(text, "cp1252")


def corrupt_fullwidth(text: str) -> str:
    """Chinese input-method punctuation: decimal points and commas typed full-width."""
    return text.replace(". ", "。").replace(", ", "，").replace(".", "．")


def _damaged_chars(clean: str, corrupt: Callable[[str], str]) -> list[int]:
    """Indexes of clean characters that `corrupt` alters."""
    return [i for i, char in enumerate(clean) if corrupt(char) != char]


def _restored_share(clean: str, repaired: str, damaged: list[int]) -> tuple[int, int]:
    """(damaged, restored): a damaged character counts if the repaired text aligns back to it.

    Aligned line by line (repair never touches a newline), so the 48 KB seed stays quick.
    """
    kept: set[int] = set()
    offset = 0
    for clean_line, repaired_line in zip(clean.split("\n"), repaired.split("\n"), strict=True):
        matcher = difflib.SequenceMatcher(None, clean_line, repaired_line, autojunk=False)
        for block in matcher.get_matching_blocks():
            kept.update(range(offset + block.a, offset + block.a + block.size))
        offset += len(clean_line) + 1
    return len(damaged), sum(1 for i in damaged if i in kept)


def _fullwidth_damage(clean: str) -> list[int]:
    return [
        i
        for i, char in enumerate(clean)
        if char == "." or (char == "," and clean[i + 1 : i + 2] == " ")
    ]


def _confusions(clean: str, repaired: str, damaged: list[int]) -> Counter[tuple[str, str]]:
    """(wanted, got) for each damaged character restored wrongly (lossy repair keeps length)."""
    if len(clean) != len(repaired):
        return Counter({("?", "length changed"): len(damaged)})
    return Counter((clean[i], repaired[i]) for i in damaged if clean[i] != repaired[i])


def main() -> None:
    started = time.perf_counter()
    documents = clean_documents()
    confusions: Counter[tuple[str, str]] = Counter()
    per_document: list[tuple[str, int, int]] = []
    variants: list[tuple[str, Callable[[str], str], bool]] = [
        ("A lossy TIS-620 (C1 dropped)", corrupt_lossy, True),
        ("A2 TIS-620, C1 kept", corrupt_c1_kept, False),
        ("B C1 re-read as cp1252", corrupt_cp1252, False),
        ("full-width punctuation", corrupt_fullwidth, False),
    ]
    print(f"{'variant':34} {'chars damaged':>14} {'share restored':>15}")
    for name, corrupt, held_out in variants:
        damaged_total = restored_total = 0
        for index, (_, clean) in enumerate(documents):
            model = (
                train(text for j, (_, text) in enumerate(documents) if j != index)
                if held_out
                else None
            )
            repaired = _repair_with(corrupt(clean), model)
            damaged = (
                _fullwidth_damage(clean)
                if corrupt is corrupt_fullwidth
                else _damaged_chars(clean, corrupt)
            )
            count, restored = _restored_share(clean, repaired, damaged)
            damaged_total += count
            restored_total += restored
            if held_out:
                confusions += _confusions(clean, repaired, damaged)
                per_document.append((documents[index][0], count, count - restored))
        print(f"{name:34} {damaged_total:>14} {restored_total / damaged_total:>15.4f}")

    print("\nlossy TIS-620, held out, per document (damaged / wrong):")
    for document, count, wrong in per_document:
        print(f"  {document:40} {count:>5} {wrong:>4}")
    print("lossy TIS-620 confusions (wanted -> got):")
    for (wanted, got), count in confusions.most_common():
        print(f"  {wanted} -> {got}  {count}")

    print(f"\n{'untouched':34} {'chars':>14} {'share unchanged':>15}")
    untouched = [("clean English", "\n".join(text for _, text in documents))]
    untouched += [(f"foreign: {lang}", text) for lang, text in FOREIGN.items()]
    for name, text in untouched:
        repaired = encoding.repair_text(text)
        same = (
            sum(a == b for a, b in zip(text, repaired, strict=False))
            if len(text) == len(repaired)
            else 0
        )
        print(f"{name:34} {len(text):>14} {same / len(text):>15.4f}")

    english = documents[1][1]
    rounds = 2000
    start = time.perf_counter()
    for _ in range(rounds):
        encoding.repair_text(english)
    per_call = (time.perf_counter() - start) / rounds
    print(f"\nrepair_text on clean {len(english)}-char English: {per_call * 1e6:.0f} µs/call")
    damaged_english = corrupt_lossy(english)
    start = time.perf_counter()
    for _ in range(rounds // 10):
        encoding.repair_text(damaged_english)
    per_call = (time.perf_counter() - start) / (rounds // 10)
    print(f"repair_text on the same, lossy TIS-620: {per_call * 1e6:.0f} µs/call")
    print(f"benchmark took {time.perf_counter() - started:.1f} s")


def _repair_with(text: str, model: QuoteModel | None) -> str:
    return encoding.repair(text, model=model).text


if __name__ == "__main__":
    main()
