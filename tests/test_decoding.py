"""Byte decoding: each evidence path, the GB18030 upgrade, and overridden wrong declarations."""

import codecs

import pytest

from transforms.decoding import Decoded, decode_body, normalize_charset

ENGLISH = "China’s “strategic” metals — tungsten, niobium… résumé"
CHINESE = "中国五矿集团有限公司与北京科技大学签署战略合作协议。稀土、钨、锑"


def test_header_charset_is_used() -> None:
    body = CHINESE.encode("big5", errors="ignore")
    decoded = decode_body(body, "text/html; charset=Big5")
    assert decoded == Decoded(body.decode("big5"), "big5", "header", False)


def test_header_charset_quoted_and_cased() -> None:
    body = "Motörhead".encode("cp1252")
    decoded = decode_body(body, 'text/html; Charset="ISO-8859-1"')
    assert (decoded.text, decoded.encoding, decoded.path) == ("Motörhead", "windows-1252", "header")


def test_latin1_label_decodes_cp1252_punctuation_like_browsers() -> None:
    body = b"They\x92re \x93here\x94 \x81"
    decoded = decode_body(body, "text/plain; charset=iso-8859-1")
    assert decoded.text == "They’re “here” \x81"
    assert not decoded.lossy


def test_utf8_bom_wins_without_header_and_is_stripped() -> None:
    decoded = decode_body(codecs.BOM_UTF8 + ENGLISH.encode(), None)
    assert (decoded.text, decoded.encoding, decoded.path) == (ENGLISH, "utf-8", "bom")


def test_utf16_bom() -> None:
    decoded = decode_body(codecs.BOM_UTF16_LE + CHINESE.encode("utf-16-le"), "text/html")
    assert (decoded.text, decoded.encoding, decoded.path) == (CHINESE, "utf-16-le", "bom")


def test_bom_contradicting_header_overrides_it() -> None:
    body = codecs.BOM_UTF16_BE + ENGLISH.encode("utf-16-be")
    decoded = decode_body(body, "text/html; charset=windows-1252")
    assert decoded.text == ENGLISH
    assert decoded.path == "header-overridden:utf-16-be"


def test_meta_charset() -> None:
    html = f'<html><head><meta charset="gbk"><title>x</title></head><body>{CHINESE}</body>'
    decoded = decode_body(html.encode("gbk"), "text/html")
    assert decoded.path == "meta"
    assert CHINESE in decoded.text


def test_meta_http_equiv() -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<p>Привет, мир</p>"
    )
    decoded = decode_body(html.encode("cp1251"), None)
    assert (decoded.encoding, decoded.path) == ("cp1251", "meta")
    assert "Привет, мир" in decoded.text


def test_meta_beyond_scan_window_is_ignored() -> None:
    html = "<!--" + "x" * 5000 + '--><meta charset="koi8-r"><p>plain ascii</p>'
    decoded = decode_body(html.encode("ascii"), None)
    assert decoded.path == "default"


def test_gb2312_declared_decodes_as_gb18030_for_gbk_only_characters() -> None:
    # 镕 (as in 朱镕基) and 喆 are in GBK/GB18030 but not in GB2312: strict GB2312 fails on them.
    text = "朱镕基与张喆考察稀土产业"
    body = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    decoded = decode_body(body, "text/html; charset=gb2312")
    assert decoded == Decoded(text, "gb18030", "header", False)


def test_detection_without_any_declaration() -> None:
    text = (
        "国务院关税税则委员会发布公告，对原产于美国的进口商品加征关税。"
        "商务部表示，稀土出口管制措施符合国际惯例，维护国家安全和利益。"
    ) * 3
    decoded = decode_body(text.encode("gb18030"), "text/html")
    assert decoded.path == "detected"
    assert decoded.encoding == "gb18030"
    assert decoded.text == text


def test_undeclared_utf8_is_detected_as_utf8() -> None:
    decoded = decode_body(ENGLISH.encode(), None)
    assert (decoded.text, decoded.encoding, decoded.path) == (ENGLISH, "utf-8", "detected")


def test_plain_ascii_falls_to_default() -> None:
    decoded = decode_body(b"Rare earths", None)
    assert decoded == Decoded("Rare earths", "utf-8", "default", False)


def test_header_latin1_over_valid_multibyte_utf8_is_overridden() -> None:
    decoded = decode_body(ENGLISH.encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert decoded.text == ENGLISH
    assert (decoded.encoding, decoded.path) == ("utf-8", "header-overridden:utf-8")


def test_meta_latin1_over_valid_utf8_is_overridden() -> None:
    html = '<meta charset="iso-8859-1"><p>' + ENGLISH + "</p>"
    decoded = decode_body(html.encode("utf-8"), None)
    assert decoded.path == "meta-overridden:utf-8"
    assert ENGLISH in decoded.text


def test_real_latin1_body_keeps_its_declaration() -> None:
    # "Ã©" style runs would be needed for Latin-1 bytes to be valid UTF-8; a real Latin-1 body is
    # invalid UTF-8, so the header stands.
    body = "Société Générale, Zürich".encode("latin-1")
    decoded = decode_body(body, "text/html; charset=iso-8859-1")
    assert decoded.path == "header"
    assert decoded.text == "Société Générale, Zürich"


def test_ascii_body_under_latin1_header_is_not_called_overridden() -> None:
    decoded = decode_body(b"plain", "text/html; charset=iso-8859-1")
    assert decoded.path == "header"


def test_invalid_utf8_is_replaced_and_marked_lossy() -> None:
    decoded = decode_body(b"caf\xc3 au lait \xff", "text/html; charset=utf-8")
    assert decoded.lossy
    assert decoded.text.count("\ufffd") == 2
    assert decoded.path == "header"


def test_literal_replacement_character_is_not_lossy() -> None:
    decoded = decode_body("a\ufffdb".encode(), "text/plain; charset=utf-8")
    assert not decoded.lossy


def test_unknown_header_label_falls_through_to_meta() -> None:
    html = '<meta charset="utf-8"><p>' + ENGLISH + "</p>"
    decoded = decode_body(html.encode(), "text/html; charset=x-no-such-charset")
    assert decoded.path == "meta"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("x-gbk", "gb18030"),
        ("EUC-CN", "gb18030"),
        ("latin1", "windows-1252"),
        ("us-ascii", "windows-1252"),
        ("UTF8", "utf-8"),
        ("windows-874", "cp874"),
        ("bogus", None),
    ],
)
def test_normalize_charset(label: str, expected: str | None) -> None:
    assert normalize_charset(label) == expected
