"""What part of an article a section plays: highlights, reported_news, analysis, outlook,
profile, or disclaimer.

Why it matters: a newsletter that summarises a state-media release adds its own analysis under
recurring sub-heads ("Why Relevant?", "Implications for the West/USA", "What to Watch Next",
"Why This Matters…", "Company Profiles"). Claims under those heads are the newsletter's, not
the release's, and the role is how the tagger tells them apart.
"""

from __future__ import annotations

import re

HIGHLIGHTS = "highlights"
REPORTED_NEWS = "reported_news"
ANALYSIS = "analysis"
OUTLOOK = "outlook"
PROFILE = "profile"
DISCLAIMER = "disclaimer"
ROLES = (HIGHLIGHTS, REPORTED_NEWS, ANALYSIS, OUTLOOK, PROFILE, DISCLAIMER)

# Heading patterns, first match wins. Numbered research headings ("3 New Trends … and Their
# Implications", "4. Relevant recommendations") are matched after the newsletter sub-heads.
_HEADING_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), role)
    for pattern, role in (
        (
            r"^(?:highlights|key (?:points|takeaways)|guide to reading|abstract|summary)\b",
            HIGHLIGHTS,
        ),
        (r"^(?:what to watch|outlook|looking ahead|what(?:'|’)s next|next steps)", OUTLOOK),
        (r"^(?:company|corporate) profiles?\b|^about (?:the )?compan", PROFILE),
        (r"^disclaimer", DISCLAIMER),
        (r"^what(?:'|’)s news\b|^background\b|^the (?:news|deal|meeting)\b", REPORTED_NEWS),
        (
            r"^why (?:relevant|this matters|it matters)|implications?\b|^analysis\b|"
            r"why (?:this|it) matters|as statecraft|^our take|^bottom line|^what it means",
            ANALYSIS,
        ),
        (r"recommendations?\b", ANALYSIS),
    )
)


def heading_role(heading: str) -> str | None:
    """The role a heading announces, or None when it does not announce one."""
    text = heading.strip().lstrip("0123456789. ")
    for pattern, role in _HEADING_RULES:
        if pattern.search(text):
            return role
    return None


def section_roles(headings: list[str], default: str) -> list[str]:
    """One role per section. A heading that announces no role inherits the role of a preceding
    "Company Profiles" heading (company-name sub-heads), else gets `default`.
    """
    roles: list[str] = []
    in_profiles = False
    for heading in headings:
        role = heading_role(heading) if heading else None
        if role == PROFILE:
            in_profiles = True
        elif role is not None:
            in_profiles = False
        elif in_profiles:
            role = PROFILE
        roles.append(role or default)
    return roles
