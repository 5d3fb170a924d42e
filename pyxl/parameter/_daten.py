"""The data models' machinery: frozen dataclasses built from TOML, quickly when the data fit, else by pydantic.

A parameter file is TOML read with ``Decimal`` for every non-integer number and checked against its model, so a
typo in a new edition fails loudly at load time instead of producing a wrong subsidy later.

Loading is quick: data that fit their model exactly (every key known, none missing, each value of its type) are
built directly; anything else goes to pydantic, which converts what it may and names what is wrong
(``pydantic.ValidationError``). pydantic is imported only then — it alone took half of ``pyxl fn``'s start.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar, Union, dataclass_transform, get_args, get_origin, get_type_hints

T = TypeVar("T", bound="_Daten")


@dataclass_transform(frozen_default=True)
class _Daten:
    """A frozen dataclass; unknown keys are refused (``extra="forbid"`` when pydantic validates).

    ``__init__``, ``__eq__``, ``__hash__``, ``__repr__`` and the freezing are written once here, not generated per
    class by ``dataclass()`` (which compiles each with ``exec``: 40 models cost 20 ms of every ``pyxl fn``).
    They behave as ``dataclass(frozen=True)``'s would.
    """

    __pydantic_config__ = {"extra": "forbid"}  # noqa: RUF012 - read by pydantic, never changed
    _namen: tuple[str, ...] = ()
    _standard: dict[str, object] = {}  # noqa: RUF012 - set once per class

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
        felder = dataclasses.fields(cls)
        cls._namen = tuple(f.name for f in felder)
        cls._standard = {f.name: f.default for f in felder if f.default is not dataclasses.MISSING}

    def __init__(self, **werte: object) -> None:
        for name in self._namen:
            if name in werte:
                object.__setattr__(self, name, werte.pop(name))
            elif name in self._standard:  # an optional key the file left out (e.g. an open end of validity)
                object.__setattr__(self, name, self._standard[name])
            else:
                raise TypeError(f"{type(self).__qualname__}: Feld {name} fehlt")
        if werte:
            raise TypeError(f"{type(self).__qualname__}: unbekannte Felder {', '.join(werte)}")
        if hasattr(self, "__post_init__"):
            self.__post_init__()

    def _werte(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._namen)

    def __eq__(self, anderes: object) -> bool:
        if anderes.__class__ is not self.__class__:
            return NotImplemented
        return self._werte() == anderes._werte()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._werte())

    def __repr__(self) -> str:
        felder = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._namen)
        return f"{type(self).__qualname__}({felder})"

    def __setattr__(self, name: str, wert: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    @classmethod
    def model_validate(cls: type[T], daten: object) -> T:
        """pydantic's validation (its conversions, its ``ValidationError`` naming the field)."""
        return _pruefer(cls).validate_python(daten)


@cache
def _pruefer(klasse: type) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(klasse)


class _Abweichung(Exception):
    """The data do not fit the model as they are: pydantic decides."""


def _bauen(klasse: type[T], daten: object) -> T:
    """The model from TOML data: directly when they fit exactly, else through pydantic (same values; its errors)."""
    try:
        return _direkt(klasse, daten)
    except (_Abweichung, ValueError):  # ValueError: a model's own check (__post_init__); pydantic words it
        return klasse.model_validate(daten)


def _direkt(klasse: type[T], daten: object) -> T:
    if type(daten) is not dict:
        raise _Abweichung
    felder, pflicht = _felder(klasse)
    if not pflicht <= daten.keys() <= felder.keys():
        raise _Abweichung
    return klasse(**{name: felder[name](wert) for name, wert in daten.items()})


@cache
def _felder(klasse: type) -> tuple[dict[str, Callable[[object], object]], frozenset[str]]:
    # the class's own names first: OEPNVParameter.meta is its nested Meta, not the module's RZWas Meta
    hinweise = get_type_hints(klasse, localns=dict(vars(klasse)))  # each base's own module globals
    felder = dataclasses.fields(klasse)
    pflicht = frozenset(
        f.name for f in felder if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    return {f.name: _umwandler(hinweise[f.name]) for f in felder}, pflicht


def _genau(typ: type) -> Callable[[object], object]:
    def pruefen(wert: object) -> object:
        if type(wert) is not typ:
            raise _Abweichung
        return wert

    return pruefen


def _dezimal(wert: object) -> Decimal:
    if type(wert) is Decimal and wert.is_finite():
        return wert
    if type(wert) is int:
        return Decimal(wert)
    raise _Abweichung


def _liste(wert: object) -> list:
    if type(wert) is not list:
        raise _Abweichung
    return wert


def _umwandler(typ: Any) -> Callable[[object], object]:
    """How a TOML value becomes a field of this type — only where pydantic would give the very same value."""
    if isinstance(typ, type) and issubclass(typ, _Daten):
        return lambda wert: _direkt(typ, wert)
    art, argumente = get_origin(typ), get_args(typ)
    if art in (Union, types.UnionType) and type(None) in argumente:  # "X | None": TOML has no null, only X
        (innen,) = [a for a in argumente if a is not type(None)]
        return _umwandler(innen)
    if art is tuple and len(argumente) == 2 and argumente[1] is Ellipsis:
        element = _umwandler(argumente[0])
        return lambda wert: tuple(element(w) for w in _liste(wert))
    if art is frozenset:
        element = _umwandler(argumente[0])
        return lambda wert: frozenset(element(w) for w in _liste(wert))
    if art is dict and argumente[0] is str:
        element = _umwandler(argumente[1])

        def woerterbuch(wert: object) -> dict:
            if type(wert) is not dict or not all(type(k) is str for k in wert):
                raise _Abweichung
            return {k: element(w) for k, w in wert.items()}

        return woerterbuch
    if typ is Decimal:
        return _dezimal
    if typ in (int, str, date):
        return _genau(typ)
    raise TypeError(f"Parametermodell: kein Umwandler für {typ}")  # a new field type: add it here
