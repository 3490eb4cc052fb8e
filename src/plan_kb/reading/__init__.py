"""Stage 1, reading. Takes a document's text and gives facts with their spans, and no RDF: ``normalize`` (heals the
PDF text, keeps an offset map), ``structure`` (notice, plans, headings, tasks, measures, goal paragraphs, into the
dataclasses of ``model``), then the pure readers of one item's text: ``roles``, ``deadlines``, ``places``,
``quantities``, ``goals``, ``citations``. The registries they read with are here too: ``agencies`` (who is who) and
``gazetteer`` (the administrative divisions). Imports only ``base`` and ``errors``."""
