"""Stage 5, HTTP. Takes a built knowledge base (through ``store`` and ``answers``) and serves it: ``app`` (the
FastAPI factory; routers discovered from ``routes/``), ``deps`` (the loaded knowledge base and its reloading),
``formats`` and ``errors`` (content negotiation, the one error format), ``description`` (SPARQL service
description), and ``web/`` (the pages for people). Imports every earlier stage; only ``bench`` and ``cli`` import it."""
