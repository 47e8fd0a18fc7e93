"""The scam checker's rules, without a database: look-alike and genuine domains, IDN
homographs, shortened links, phone numbers and Vietnamese scam phrasing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from citysoc.awareness import scamcheck

DOMAINS = [
    # genuine
    ("vietcombank.com.vn", "safe"),
    ("ib.vietcombank.com.vn", "safe"),
    ("bidv.com.vn", "safe"),
    ("dichvucong.gov.vn", "safe"),
    ("vneid.gov.vn", "safe"),
    ("tamdiep.ninhbinh.gov.vn", "safe"),
    ("chinhphu.vn", "safe"),
    ("https://www.agribank.com.vn/vn/ca-nhan", "safe"),
    # look-alikes of banks
    ("vietcombank-xacminh.com", "dangerous"),
    ("vietconbank.com", "dangerous"),
    ("vietcornbank.com.vn", "dangerous"),
    ("agrlbank.com.vn", "dangerous"),
    ("bidv-online.net", "dangerous"),
    ("mbbank.com.vn.vn", "dangerous"),
    ("techcombank.support", "dangerous"),
    # look-alikes of .gov.vn
    ("dichvucong-gov.vn.com", "dangerous"),
    ("bocongan.gov.vn.xyz", "dangerous"),
    ("vneid-gov.com", "dangerous"),
    ("govvn-hotro.top", "dangerous"),
    # IDN homographs: Cyrillic letters that look Latin
    ("vіetcombank.com", "dangerous"),
    ("xn--vetcombank-x2i.com", "dangerous"),
    ("bіdv.com.vn", "dangerous"),
    # shortened links, gambling
    ("https://bit.ly/3xYzAbc", "suspicious"),
    ("tinyurl.com/qua-tet", "suspicious"),
    ("fb88.com", "dangerous"),
    ("kubet.win", "dangerous"),
    ("nohu-tet.club", "dangerous"),
    # tricks in the URL itself
    ("http://vietcombank.com.vn@203.0.113.9/login", "dangerous"),
    # unknown is not safe
    ("example.com", "unknown"),
    ("vnexpress.net", "unknown"),
]


@pytest.mark.parametrize("text,verdict", DOMAINS)
def test_the_verdict_on_a_table_of_lookalike_and_genuine_addresses(text, verdict):
    assert scamcheck.check(text).verdict == verdict, scamcheck.check(text).reasons


def test_a_homograph_names_the_domain_it_imitates():
    reasons = scamcheck.check("vіetcombank.com").reasons
    assert any(r.code == "homograph" and "vietcombank.com.vn" in r.detail for r in reasons)


@pytest.mark.parametrize(
    "text,verdict",
    [
        ("0912 345 678", "unknown"),
        ("+84 912 345 678", "unknown"),
        ("+1 202 555 0100", "suspicious"),
        ("1900 6789", "suspicious"),
    ],
)
def test_phone_numbers(text, verdict):
    result = scamcheck.check(text)
    assert (result.kind, result.verdict) == ("phone", verdict)


def test_a_listed_phone_number_is_dangerous_whichever_way_it_is_written():
    def lookup(kind, values):
        return [(v, "Danh sách lừa đảo") for v in values if v == "0912345678"]

    assert scamcheck.check("+84 912-345-678", lookup).verdict == "dangerous"


@pytest.mark.parametrize(
    "message,verdict",
    [
        ("Bạn trúng thưởng quà Tết, bấm vào link http://qua-tet.xyz và nhập mã OTP", "dangerous"),
        ("Công an thông báo tài khoản của bạn liên quan vụ án rửa tiền", "dangerous"),
        ("Nhận đổi tiền mới mệnh giá nhỏ, chuyển khoản trước giao tiền sau", "suspicious"),
        (
            "Việc làm tại nhà, cộng tác viên hoa hồng cao, chỉ cần nạp tiền làm nhiệm vụ",
            "suspicious",
        ),
        ("Chúc mừng năm mới, hẹn gặp cả nhà chiều mùng 2", "unknown"),
    ],
)
def test_scam_phrasing_in_vietnamese_messages(message, verdict):
    result = scamcheck.check(message)
    assert (result.kind, result.verdict) == ("message", verdict), result.reasons


def test_a_message_with_a_lookalike_link_is_dangerous():
    text = "Tài khoản sẽ bị khoá, xác minh tại vietcombank-xacminh.com ngay"
    assert scamcheck.check(text).verdict == "dangerous"


def test_the_rules_import_no_django():
    code = "import sys, citysoc.awareness.scamcheck; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
