"""The structured documents a case records, one pydantic model per kind.

Each model validates a document's shape; `gaps()` lists, in words a counsellor understands,
what is still missing before the care step that needs it can be completed.
"""

from engine.documents._base import Document
from engine.documents._dates import EARLIEST, date_fields, implausible_dates
from engine.documents._errors import either, validation_reasons
from engine.documents._fields import ORGANISATION_ID, SOCIALMAP_ID, Service
from engine.documents._limits import MAX_DOCUMENT_BYTES, document_size, too_big
from engine.documents._models import (
    DOCUMENT_MODELS,
    as_read,
    document_model,
    document_title,
    example,
)

__all__ = [
    "DOCUMENT_MODELS",
    "EARLIEST",
    "MAX_DOCUMENT_BYTES",
    "ORGANISATION_ID",
    "SOCIALMAP_ID",
    "Document",
    "Service",
    "as_read",
    "date_fields",
    "document_model",
    "document_size",
    "document_title",
    "either",
    "example",
    "implausible_dates",
    "too_big",
    "validation_reasons",
]
