"""Money as Decimal in code and as exact integers in the database.

Amounts are stored as integer counts of 1/10,000 of the currency unit. Four decimal
places cover every ISO 4217 currency, so SQL sums stay exact on SQLite (which has no
decimal type) and on PostgreSQL alike.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

AMOUNT_SCALE = 4
_QUANTUM = Decimal(1).scaleb(-AMOUNT_SCALE)
_FACTOR = 10**AMOUNT_SCALE


class AmountPrecisionError(ValueError):
    """Raised when an amount has more decimal places than the store keeps."""


def to_stored(amount: Decimal) -> int:
    """Convert a Decimal amount to stored units, rejecting anything that would be rounded."""
    if not amount.is_finite():
        raise AmountPrecisionError(f"amount {amount} is not a finite number")
    try:
        quantized = amount.quantize(_QUANTUM)
    except InvalidOperation as error:
        raise AmountPrecisionError(f"amount {amount} is too large to store") from error
    if quantized != amount:
        raise AmountPrecisionError(
            f"amount {amount} has more than {AMOUNT_SCALE} decimal places"
        )
    return int(quantized * _FACTOR)


def from_stored(units: int | None) -> Decimal:
    """Convert stored units back to a Decimal; None (an empty SQL sum) is zero."""
    if units is None:
        return Decimal(0).quantize(_QUANTUM)
    return (Decimal(int(units)) / _FACTOR).quantize(_QUANTUM)
