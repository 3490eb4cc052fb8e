"""plan-kb: government action plans as a validated, queryable knowledge base."""

__version__ = "0.1.0"
