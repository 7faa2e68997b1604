"""Small pure normalisers (standard library only): each takes a string, returns a clean one or None."""

from normalise.contact import normalise_email, normalise_phone, normalise_url
from normalise.priority import PriorityAreas, PriorityScheme, priority_areas, priority_scheme
from normalise.text import (
    bullet_text,
    clean_line,
    fold,
    fold_label,
    is_placeholder,
    lines_to_value,
    refers_elsewhere,
    strip_control_chars,
    ticked_options,
)

__all__ = [
    "PriorityAreas",
    "PriorityScheme",
    "bullet_text",
    "clean_line",
    "fold",
    "fold_label",
    "is_placeholder",
    "lines_to_value",
    "normalise_email",
    "normalise_phone",
    "normalise_url",
    "priority_areas",
    "priority_scheme",
    "refers_elsewhere",
    "strip_control_chars",
    "ticked_options",
]
