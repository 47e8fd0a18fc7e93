"""Vietnamese for the alerts area: msgid → msgstr (see ../translate_vi.py).

Syslog listener and heartbeats (`alerts/heartbeats.py`): the summaries of the alerts raised
when a source, a feed or a log folder goes quiet. The listener's own output is for the
operator's terminal and stays in English.
"""

MESSAGES: dict[str, str] = {
    "Reporting again": "Đã gửi dữ liệu trở lại",
    "No event ever received from %(source)s (expected every %(every)s)": (
        "Chưa từng nhận được sự kiện nào từ %(source)s (cần nhận ít nhất mỗi %(every)s)"
    ),
    "No event from %(source)s since %(when)s (expected every %(every)s)": (
        "Không nhận được sự kiện nào từ %(source)s kể từ %(when)s (cần nhận ít nhất mỗi %(every)s)"
    ),
    "Feed %(feed)s has had nothing new since %(when)s (expected every %(every)s)": (
        "Nguồn cấp %(feed)s không có phiên bản mới kể từ %(when)s"
        " (dự kiến mỗi %(every)s có một phiên bản)"
    ),
    "Log folder %(path)s cannot be read: %(error)s": (
        "Không đọc được thư mục nhật ký %(path)s: %(error)s"
    ),
    "No new log file in %(path)s since %(when)s": (
        "Không có tệp nhật ký mới trong %(path)s kể từ %(when)s"
    ),
    "%(n)s d": "%(n)s ngày",
    "%(n)s h": "%(n)s giờ",
    "%(n)s min": "%(n)s phút",
}

# (singular, plural) → the one Vietnamese form.
PLURALS: dict[tuple[str, str], str] = {}
