"""Stage 2, the graph. Takes what ``reading`` found and gives an RDF dataset, one named graph per document:
``writer`` (``GraphWriter`` mints IRIs and provenance), one module per family of facts (``structure``, ``roles``,
``deadlines``, ``places``, ``quantities``, ``citations``), ``rules`` (the SPARQL rules of ``extraction/rules/``),
``dataset`` (all of it for a corpus, with the build report) and ``validate`` (the SHACL shapes of ``shapes/``).
Imports ``reading`` and ``base``; nothing here serves or answers."""
