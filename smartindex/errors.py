"""Exceptions smartindex raises for bad input; each renders as one clear line."""

from __future__ import annotations


class SmartIndexError(Exception):
    """Base class: a data, file or configuration problem the user can fix (CLI exit status 1)."""


class DataFileError(SmartIndexError):
    """A file cannot be read as declared; the message names file, line and column."""

    def __init__(
        self, path: object, message: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.column = path, line, column


class CatalogueError(SmartIndexError):
    """The indicator catalogue or a framework table is invalid; the message names the entry."""


class MethodError(SmartIndexError):
    """A method specification is invalid (unknown normaliser, bad parameter …)."""


class WarehouseError(SmartIndexError):
    """The warehouse is missing, empty or lacks a table the caller needs."""
