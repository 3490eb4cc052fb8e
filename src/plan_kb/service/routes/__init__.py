"""Routers of the service. Every module here with a module-level ``router`` (a ``fastapi.APIRouter``) is included
by the app factory; adding an endpoint group is adding a module."""
