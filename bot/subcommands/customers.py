"""Finding the one customer a subcommand names, shared by every subcommand that takes a customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session

from bot.i18n import Translator
from bot.messages.customer import CustomerChoice, customer_choices_message, customer_not_found_message
from bot.store.balances import customer_matches
from bot.store.models import Customer
from bot.store.search_text import fold_for_search

# A list of matches shows at most this many customers, one section with a button each.
MAX_CUSTOMER_CHOICES = 15


@dataclass(frozen=True)
class CustomerSearch:
    query: str
    # The customer the query names, when it names exactly one.
    customer_id: int | None
    choices: tuple[CustomerChoice, ...]
    # True when more customers match than `choices` holds.
    more: bool


def search_customer(session: Session, query: str) -> CustomerSearch:
    """Match a typed name or code: its exact code or full name, or else its only match, or else a list."""
    matches = customer_matches(session, query, limit=MAX_CUSTOMER_CHOICES + 1)
    chosen = _single_match(query, matches)
    if chosen is not None:
        return CustomerSearch(query, chosen.id, (), False)

    choices = tuple(CustomerChoice(customer.id, customer.code, customer.name) for customer in matches)
    return CustomerSearch(query, None, choices[:MAX_CUSTOMER_CHOICES], len(choices) > MAX_CUSTOMER_CHOICES)


def unresolved_reply(
    tr: Translator,
    search: CustomerSearch,
    *,
    action_id: str | None = None,
    value_of: Callable[[int], str] | None = None,
    button_label: str | None = None,
) -> dict:
    """Build the reply to a search that named no single customer: no match, or a list with a button each."""
    if not search.choices:
        return customer_not_found_message(tr, search.query)
    options = {}
    if action_id is not None and value_of is not None:
        options = {"action_id": action_id, "value_of": value_of, "button_label": button_label}
    return customer_choices_message(tr, search.query, list(search.choices), search.more, **options)


def _single_match(query: str, matches: list[Customer]) -> Customer | None:
    """Pick the customer a query names exactly (its code or full name, ignoring case), or the only match."""
    if len(matches) == 1:
        return matches[0]
    folded = fold_for_search(query.strip())
    exact = [
        customer for customer in matches
        if fold_for_search(customer.code) == folded or fold_for_search(customer.name) == folded
    ]
    return exact[0] if len(exact) == 1 else None
