"""Public file references such as "PX-7K3M-Q9TD". URLs and letters carry them instead of
database ids, which would reveal how many households are followed and invite guessing."""

import re
import secrets

# No 0/O, 1/I/L or U: read aloud on the phone or copied from a letter without ambiguity.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "PX"
GROUPS = 2
GROUP_LENGTH = 4  # 30**8 ≈ 6.6e11 references: guessing one that exists is hopeless
PATTERN = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{{GROUP_LENGTH}}}-[{ALPHABET}]{{{GROUP_LENGTH}}}$")


def new_reference():
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join((PREFIX, *groups))


def clean_reference(text):
    """The canonical form of a reference typed by a user ("px 7k3m q9td"), or "" when it
    cannot be one."""
    compact = re.sub(r"[^0-9A-Za-z]", "", str(text or "")).upper()
    if len(compact) != len(PREFIX) + GROUPS * GROUP_LENGTH or not compact.startswith(PREFIX):
        return ""
    body = compact[len(PREFIX) :]
    candidate = "-".join((PREFIX, body[:GROUP_LENGTH], body[GROUP_LENGTH:]))
    return candidate if PATTERN.match(candidate) else ""
