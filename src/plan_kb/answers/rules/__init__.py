"""Rules as code (issue 21): the plans' thresholds and quantified goals compiled into rules stated as data
(``compile``), published with every build as SHACL shapes and JSON (``shapes``: ``rules.ttl``, ``rules.json``), and
records — an enterprise's monitoring data, a city's annual figures — checked against them by pySHACL
(``records`` links the records into an RDF graph, ``check`` runs the shapes and reads the verdicts off the report).
Vocabularies and conventions: ``vocab`` (``extraction/sources.ttl``, ``rules.yaml``, ``unit-factors.yaml``)."""

from plan_kb.answers.rules.check import RuleSet, any_breaks, as_csv, check
from plan_kb.answers.rules.records import BadRecords, Record, parse, records_graph
from plan_kb.answers.rules.shapes import write_rules

__all__ = ["BadRecords", "Record", "RuleSet", "any_breaks", "as_csv", "check", "parse", "records_graph",
           "write_rules"]
