"""The HTTP API (FastAPI): an entry point that only translates requests to service calls."""

from engine.api._app import create_api

__all__ = ["create_api"]
