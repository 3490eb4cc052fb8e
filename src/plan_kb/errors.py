"""Errors a user can cause; the command line prints them as one line, never a traceback."""


class PlanKBError(Exception):
    """Base of every error plan-kb reports to a user."""


class DocumentError(PlanKBError):
    """A corpus file that cannot be read as a plan document."""


class ValidationFailed(PlanKBError):
    """The built graph breaks a SHACL rule; the previous knowledge base stays in place."""

    def __init__(self, report: str):
        super().__init__("the graph breaks the SHACL shapes; the previous knowledge base is kept\n" + report)
        self.report = report


class NotBuilt(PlanKBError):
    """No knowledge base has been built in the data folder yet."""


class NotFound(PlanKBError):
    """A name (agency, place, plan, indicator) that the knowledge base does not know."""


class Ambiguous(PlanKBError):
    """A name that fits several entities; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates
