"""Text repair (placeholder: the repair-stage work replaces this with the real layers)."""

from transforms.model import Repair


def repair(text: str) -> Repair:
    """Repair mojibake in `text`, listing every change."""
    return Repair(text=text)


def repair_text(text: str) -> str:
    """`repair(text).text`."""
    return repair(text).text
