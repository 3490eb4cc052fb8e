"""The vocabularies plan-kb writes and reads. ``PKB``, ``ID``, ``UNIT`` and ``PKBUNIT`` are the public contract."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

PKB = Namespace("https://w3id.org/plan-kb/ontology#")
ID = Namespace("https://w3id.org/plan-kb/id/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
PKBUNIT = Namespace("https://w3id.org/plan-kb/unit/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
QUDT = Namespace("http://qudt.org/schema/qudt/")

#: The named graph of the store that holds the ontology (``ontology/*.ttl``), next to one graph per document.
ONTOLOGY_GRAPH = ID["graph/ontology"]

PREFIXES: dict[str, Namespace] = {
    "pkb": PKB, "id": ID, "unit": UNIT, "pkbunit": PKBUNIT, "skos": SKOS, "dcterms": DCTERMS, "xsd": XSD,
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "prov": PROV, "eli": ELI, "org": ORG, "time": TIME, "qudt": QUDT,
}


def sparql_prefixes() -> str:
    """The PREFIX lines every named query may rely on."""
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
