from toit.imports.models.job import ImportJob
from toit.imports.models.rows import ImportedRow, ImportIssue, StagedRow

__all__ = ["ImportIssue", "ImportJob", "ImportedRow", "StagedRow"]
