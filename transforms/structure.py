"""Boilerplate removal with structure kept (placeholder: paragraphs only)."""

from bs4 import BeautifulSoup

from transforms.model import Section, StructuredText


def structure_html(html: str, *, base_url: str = "") -> StructuredText:
    """Split an article body into fields, dropping boilerplate."""
    soup = BeautifulSoup(html, "lxml")
    paragraphs = tuple(
        p.get_text(" ", strip=True) for p in soup.find_all(["p", "li"]) if p.get_text(strip=True)
    )
    return StructuredText(sections=(Section(heading="", paragraphs=paragraphs),))
