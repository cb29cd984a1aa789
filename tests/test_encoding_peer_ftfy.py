"""ftfy's own test cases (../shared/peer-tests/ftfy) run against claimtrail's repair.

Must fix what ftfy fixes and leave alone what ftfy leaves alone (the negative cases expect their
original back, apart from C1 controls that ftfy also maps). The target is `fixed-encoding`
when a case has one (what `ftfy.fix_encoding` gives, keeping curly quotes like we do), else
`fixed`. Cases ftfy itself gets wrong (`expect: fail`) must come out no worse than ftfy's own
encoding fix. Exemptions, where our documented policy differs from ftfy's, are listed below with
the reason; they are checked against our policy, not skipped.
"""

import json
from pathlib import Path

import ftfy
import pytest

from transforms.encoding import repair_text

PEER = Path(__file__).resolve().parents[2] / "shared" / "peer-tests" / "ftfy"
FILES = ("in-the-wild", "synthetic", "negative", "language-names", "known-failures")

EXEMPT = {
    "Wide comma in UTF-8 / Windows-1252": (
        "ftfy restores the full-width comma in 'Ningbo，China'; claimtrail's full-width layer then "
        "turns a full-width comma between Latin words into ', ' (issue: full-width punctuation "
        "inside Latin text), so the expected text is ftfy's, with that rule applied."
    ),
}


def _cases() -> list:
    if not PEER.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{PEER} is absent"))]
    params = []
    for name in FILES:
        for case in json.loads((PEER / f"{name}.json").read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{name}: {case['label']}"))
    return params


@pytest.mark.parametrize("case", _cases())
def test_peer_case(case: dict) -> None:
    original = case["original"]
    expected = case.get("fixed-encoding", case["fixed"])
    repaired = repair_text(original)
    if case["label"] in EXEMPT:
        assert repaired == repair_text(expected) != expected
    elif case["expect"] == "pass":
        assert repaired == expected
    else:
        assert repaired in (expected, ftfy.fix_encoding(original))
