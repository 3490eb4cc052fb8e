"""Service settings, read from the environment (prefix ``PLAN_KB_``), e.g. ``PLAN_KB_QUERY_TIMEOUT=5``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLAN_KB_", extra="ignore")

    data: Path | None = Field(None, description="data folder of the knowledge base (default: data/ in the checkout)")
    store: str | None = Field(None, description="URL of a remote SPARQL endpoint to serve from instead of the "
                              "embedded Oxigraph store")
    store_gsp: str | None = Field(None, description="Graph Store Protocol URL of the remote store, when it is not "
                                  "the Oxigraph layout (<root>/store)")
    query_timeout: float = Field(10.0, gt=0, description="seconds a /sparql query may run before it is stopped")
    row_limit: int = Field(10000, gt=0, description="most rows (or triples) a /sparql result may have")
    result_bytes: int = Field(16_000_000, gt=0, description="most bytes a /sparql result may hold: its terms' "
                              "bytes, or for JSON and XML results the bytes written (HTTP 413 past it, checked while "
                              "the result is read)")
    query_size: int = Field(50_000, gt=0, description="most characters of a /sparql query (HTTP 413 past it)")
    query_depth: int = Field(100, gt=0, description="how deep groups, brackets and parentheses of a /sparql query "
                             "may nest (HTTP 400 past it)")
    query_workers: int = Field(2, ge=1, le=32, description="worker processes answering /sparql queries")
    page_limit: int = Field(100, gt=0, description="default page size of the REST lists")
    max_page_limit: int = Field(1000, gt=0, description="largest page size of the REST lists")
    reload_check: float = Field(2.0, ge=0, description="seconds between checks for a newer build to serve "
                                "(0: never reload; a running server picks up a successful 'plan-kb build')")
    keep_builds: int = Field(3, ge=1, description="build folders kept in the data folder (the current one and the "
                             "newest before it); 'plan-kb build' removes older ones and leftovers of killed builds")
    base_url: str = Field("", description="public URL prefix for links in the service description "
                          "(default: as requested)")
    cors_origins: str = Field("*", description="origins allowed to call the service from a web page (CORS), "
                              "comma-separated; '*' any origin, '' none. Every route only reads")
    cache_max_age: int = Field(60, ge=0, description="seconds a client or proxy may reuse a GET response without "
                               "asking again (ETag / Last-Modified revalidate on the build)")
    gzip_min_size: int = Field(2048, ge=0, description="responses of at least this many bytes are gzip-compressed "
                               "for clients that accept it (0: never)")
