"""The web service: a SPARQL 1.1 endpoint, named queries and a JSON/CSV API over the knowledge base."""
