"""What goes wrong with a file or a row, said in French: where (row as numbered in the
spreadsheet, column as headed in the file), the value found, what is wrong and what was
expected."""

from dataclasses import dataclass

VALUE_MAX = 200  # the error report repeats the value, truncated: enough to find it


@dataclass(frozen=True)
class Problem:
    message: str
    expected: str = ""
    column: str = ""
    value: str = ""
    line: int | None = None

    def at(self, line):
        return Problem(self.message, self.expected, self.column, self.value, line)


def shown_value(value):
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


class FileProblem(Exception):
    """The whole file is unusable (unreadable, wrong encoding, columns missing): nothing is
    checked further and nothing can be imported."""

    def __init__(self, problems):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def file_problem(message, expected=""):
    return FileProblem(Problem(message, expected))
