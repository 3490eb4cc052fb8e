"""Numbers written in Chinese characters (万, 三千, 十万), read with the digits and powers in `units.yaml`."""

from __future__ import annotations

from plan_kb.base.resources import load_yaml


def chinese_number(s: str) -> int:
    """万 → 10000, 三千 → 3000, 十万 → 100000."""
    y = load_yaml("units.yaml")
    digits, powers = y["chinese_digits"], y["chinese_powers"]
    total, cur = 0, 0
    for ch in s:
        if ch in digits:
            cur = digits[ch]
        elif powers[ch] >= 10000:
            total = (total + (cur or (0 if total else 1))) * powers[ch]
            cur = 0
        else:
            total += (cur or 1) * powers[ch]
            cur = 0
    return total + cur
