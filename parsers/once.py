"""A measure computed at its first use, then kept as an attribute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

_T = TypeVar("_T")


class computed_once(Generic[_T]):
    """functools.cached_property without its lock: Python 3.11 takes one at every first access, and the
    layout pass makes tens of thousands of lines, each asked for its measures once or twice. Like it,
    a non-data descriptor: the value stored in the instance's __dict__ (a frozen dataclass too) is what
    every later access finds."""

    def __init__(self, compute: Callable[[Any], _T]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> computed_once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _T | computed_once[_T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value
