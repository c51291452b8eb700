"""How personal data is shown masked: names, mobile numbers and ID numbers (one place for each rule)."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """王建国 → 王*国, 张伟 → 张*, 欧阳娜娜 → 欧**娜 (as the login page and the audit log show people)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_mobile(mobile: str) -> str:
    """13800000003 → 138****0003; any other length keeps at most the first three and last four
    characters with at least four masked (``02412345678`` → ``024****5678``), a short one is all stars."""
    mobile = mobile.strip()
    if len(mobile) < 8:
        return "*" * len(mobile)
    return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]


def mask_id_number(number: str) -> str:
    """``210102********0031``: only the first six and the last four characters stay."""
    if len(number) > 10:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return number[:1] + "*" * max(len(number) - 1, 0)
