"""Question types: one module a type, each registering its handler (see base.py).

Importing this package registers every type; add a new type's module to the list below.
"""

from . import (  # noqa: F401  (each module registers its type)
    email,
    long_text,
    multi_choice,
    number,
    scale,
    short_text,
    single_choice,
    state_zip,
    task_matrix,
    time_use,
    yes_no,
)
from .base import (
    ATTRIBUTES,
    HOOKS,
    Aggregate,
    QuestionType,
    SimpleType,
    Storage,
    qtype,
    register,
    registered,
    types_with,
)

__all__ = [
    "ATTRIBUTES",
    "HOOKS",
    "Aggregate",
    "QuestionType",
    "SimpleType",
    "Storage",
    "qtype",
    "register",
    "registered",
    "types_with",
]
