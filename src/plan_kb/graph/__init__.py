"""From what the readers found to RDF: one module per family of facts, all writing through ``GraphWriter``."""
