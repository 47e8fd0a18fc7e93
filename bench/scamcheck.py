"""Benchmark: the scam checker's rules (no database, no network), checks per second.

    .venv/bin/python bench/scamcheck.py [--seconds 3]

Runs `citysoc.awareness.scamcheck.check` over a mix of genuine and look-alike domains,
URLs, phone numbers and Tết scam messages, and prints checks/s and the mean time per
kind. The public page answers one check per request, so this is the ceiling the rules
put on it (the list lookups in the database come on top).
"""

from __future__ import annotations

import argparse
import statistics
import time

from citysoc.awareness import scamcheck

INPUTS = [
    "vietcombank.com.vn",
    "vietcombank-xacminh.com",
    "vіetcombank.com",
    "dichvucong-gov.vn.com",
    "https://bit.ly/3xYzAbc",
    "http://vietcombank.com.vn@203.0.113.9/login",
    "+84 912 345 678",
    "1900 6789",
    "Bạn trúng thưởng quà Tết, bấm vào link http://qua-tet.example và nhập mã OTP",
    "Công an thông báo tài khoản của bạn liên quan vụ án rửa tiền, gọi 0987000111",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    opts = parser.parse_args()
    times: dict[str, list[float]] = {}
    done = 0
    end = time.perf_counter() + opts.seconds
    while time.perf_counter() < end:
        for text in INPUTS:
            start = time.perf_counter()
            result = scamcheck.check(text)
            times.setdefault(result.kind, []).append(time.perf_counter() - start)
            done += 1
    total = sum(sum(v) for v in times.values())
    print(f"{done} checks in {total:.2f} s of checking: {done / total:,.0f} checks/s")  # noqa: T201
    for kind, values in sorted(times.items()):
        print(f"  {kind:8} mean {statistics.fmean(values) * 1e6:7.1f} µs")  # noqa: T201


if __name__ == "__main__":
    main()
