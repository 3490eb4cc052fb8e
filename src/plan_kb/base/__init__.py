"""Stage 0, what every stage stands on: where the project's declarative files live (``resources``: ``extraction/``,
``ontology/``, ``shapes/``, ``api/``, ``corpus/``) and the RDF namespaces of the contract (``namespaces``). Imports
nothing of the package."""
