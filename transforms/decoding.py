"""Turn an HTTP body into text, saying which evidence chose the charset and whether it was lossy.

Why this order: the HTTP header is what the server asserts, a byte-order mark is what the file
itself asserts, a `<meta>` declaration is what the author asserted, and statistical detection is
a guess; UTF-8 with replacement is the last resort. Two real-world corrections sit on top:

* Chinese official sites declare GB2312 (or GBK) while using characters only GBK/GB18030 has, so
  every GB-family label decodes as GB18030, its superset.
* Servers often declare a legacy single-byte charset (ISO-8859-1 is Apache's old default) for
  pages that are really UTF-8. A body that decodes as strict UTF-8 *and* contains multi-byte
  sequences is practically never meant as Latin-1 (that would need runs like "Ã©"), so UTF-8
  wins and the path records the override, e.g. ``header-overridden:utf-8``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

META_SCAN_BYTES = 4096
"""How far into the body a `<meta>` charset declaration is looked for (browsers use 1024;
CMS templates with long heads push it further)."""

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "euc_cn", "hz"}
"""Python codec names whose text is a subset of GB18030."""

_WINDOWS_1252_LABELS = {"iso8859_1", "ascii", "cp1252"}
"""Labels that browsers (WHATWG Encoding) decode as windows-1252."""

_WHATWG_ALIASES = {"x-gbk": "gbk", "windows-874": "cp874", "x-mac-roman": "mac-roman"}
"""WHATWG labels that Python's codec registry does not know."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Longest first: the UTF-32-LE mark begins with the UTF-16-LE one."""

_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)

_CP1252_C1 = {
    byte: char
    for byte in range(0x80, 0xA0)
    if (char := bytes([byte]).decode("cp1252", errors="ignore"))
}
_LATIN1_TO_CP1252 = str.maketrans({chr(byte): char for byte, char in _CP1252_C1.items()})


@dataclass(frozen=True)
class Decoded:
    """A decoded body and how its charset was chosen.

    `path` is one of ``header``, ``bom``, ``meta``, ``detected``, ``default``, or
    ``<source>-overridden:<encoding>`` when a declaration was contradicted by the bytes.
    `lossy` is true when some bytes could not be decoded and became U+FFFD.
    """

    text: str
    encoding: str
    path: str
    lossy: bool


def decode_body(body: bytes, content_type: str | None) -> Decoded:
    """Decode an HTTP body using header, BOM, `<meta>`, detection, then UTF-8, in that order."""
    bom_encoding = _bom_encoding(body)
    declared = (
        ("header", _charset_from_content_type(content_type)),
        ("bom", bom_encoding),
        ("meta", _charset_from_meta(body)),
    )
    for source, encoding in declared:
        if encoding is None:
            continue
        if source != "bom":
            if bom_encoding is not None and not bom_encoding.startswith(encoding):
                return _decode(body, bom_encoding, f"{source}-overridden:{bom_encoding}")
            if encoding != "utf-8" and _is_multibyte_utf8(body):
                return _decode(body, "utf-8", f"{source}-overridden:utf-8")
        return _decode(body, encoding, source)
    detected = _detect(body)
    if detected is not None:
        return _decode(body, detected, "detected")
    return _decode(body, "utf-8", "default")


def normalize_charset(label: str) -> str | None:
    """The codec claimtrail decodes a declared charset label with, or None if unknown.

    GB-family labels become ``gb18030`` and Latin-1/ASCII labels ``windows-1252`` (what browsers
    do).
    """
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_WHATWG_ALIASES.get(label, label)).name
    except LookupError:
        return None
    python_name = name.replace("-", "_")
    if python_name in _GB_FAMILY:
        return "gb18030"
    if python_name in _WINDOWS_1252_LABELS:
        return "windows-1252"
    if python_name == "utf_8_sig":
        return "utf-8"
    return name


def _charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type.encode("latin-1", errors="replace"))
    return normalize_charset(match.group(1).decode("ascii")) if match else None


def _bom_encoding(body: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding
    return None


def _charset_from_meta(body: bytes) -> str | None:
    """`<meta charset=...>` or `<meta http-equiv="Content-Type" content="...; charset=...">`."""
    for tag in _META_TAG.finditer(body[:META_SCAN_BYTES]):
        match = _CHARSET_PARAM.search(tag.group(0))
        if match is None:
            continue
        encoding = normalize_charset(match.group(1).decode("ascii"))
        if encoding is None:
            continue
        # A document that could be read to find this tag is not UTF-16 (WHATWG rule).
        return "utf-8" if encoding.startswith("utf-16") else encoding
    return None


def _is_multibyte_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(body: bytes) -> str | None:
    if body.isascii() or _is_multibyte_utf8(body):
        return None if body.isascii() else "utf-8"
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        return None
    return normalize_charset(best.encoding)


def _decode(body: bytes, encoding: str, path: str) -> Decoded:
    if _bom_encoding(body) == encoding:
        body = body[len(next(bom for bom, name in _BOMS if name == encoding)) :]
    if encoding == "windows-1252":
        # Browsers map the five bytes cp1252 leaves undefined to C1 controls; nothing is lost.
        return Decoded(body.decode("latin-1").translate(_LATIN1_TO_CP1252), encoding, path, False)
    try:
        return Decoded(body.decode(encoding), encoding, path, False)
    except UnicodeDecodeError:
        return Decoded(body.decode(encoding, errors="replace"), encoding, path, True)
