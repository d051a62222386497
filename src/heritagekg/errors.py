"""Our exception hierarchy: the CLI turns each into one clean line and an exit status."""
from __future__ import annotations


class HeritageKGError(Exception):
    """Base of every error heritagekg raises on purpose."""

    exit_code = 1


class InputError(HeritageKGError):
    """An input file or folder cannot be read as an article (names the file)."""

    exit_code = 2

    def __init__(self, path: str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ExtractionError(HeritageKGError):
    """The NLP stage failed on an article (model missing, pipeline broken)."""


class ValidationError(HeritageKGError):
    """The graph does not conform to the SHACL shapes and --strict was asked for."""


class StoreError(HeritageKGError):
    """Reading or writing an RDF file or store failed."""


class QueryError(HeritageKGError):
    """A SPARQL query is malformed, unknown, or failed at the endpoint."""


class EndpointError(HeritageKGError):
    """A remote SPARQL endpoint refused or could not be reached."""
