"""The reverse proxy of docs/deployment.md lets through what Toit accepts: a limit below it
answers 413 from nginx to a file the application would take (it once capped every page at
25 Mo, where imports accept 300 Mio)."""

import re
from pathlib import Path

from toit.www.body_limit import attachment_upload_limit, import_upload_limit

DOC = Path(__file__).resolve().parents[1] / "docs" / "deployment.md"
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def nginx_block():
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1, "docs/deployment.md : un seul bloc nginx attendu"
    return blocks[0]


def size(text):
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", text.strip().lower()).groups()
    return int(number) * UNITS[unit]


def body_limits(block):
    """client_max_body_size per location ("" for the server level)."""
    limits, location = {}, ""
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if match := re.match(r"location\s+(\S+)\s*\{", line):
            location = match.group(1)
        elif line == "}":
            location = ""
        elif match := re.match(r"client_max_body_size\s+(\S+);", line):
            limits[location] = size(match.group(1))
    return limits


def test_the_proxy_lets_through_the_largest_import():
    limits = body_limits(nginx_block())
    assert limits["/imports/"] >= import_upload_limit()


def test_the_proxy_lets_through_an_attachment_everywhere_else():
    limits = body_limits(nginx_block())
    assert limits[""] >= attachment_upload_limit()


def test_the_reading_of_the_limits_sees_a_smaller_one():
    limits = body_limits("server {\n client_max_body_size 2m;\n location /imports/ {\n client_max_body_size 1m;\n }\n}")
    assert limits == {"": 2 * 1024**2, "/imports/": 1024**2}
    assert limits["/imports/"] < import_upload_limit()
