"""Stage 4, what people ask of the knowledge base. Takes a store (or a build folder) and gives answers: ``due``
(what falls due, by date), ``calendar`` (RFC 5545 calendars of duties), ``places`` (tasks of a place and the places
within it), ``limits`` (limits and targets on an indicator), ``search/`` (the full-text index, built and queried) and
``ask/`` (questions in Chinese). Imports ``store``, ``graph``, ``reading`` and ``base``; nothing here speaks HTTP."""
