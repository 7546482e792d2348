"""Access rules of the subcommands, built on the role checks in bot.permissions."""

from __future__ import annotations

from bot.permissions import Role, can_read_balances

# can_read_balances grants every role, so these are the roles a "not allowed" reply names.
BALANCE_READER_ROLES = tuple(Role)

# Roles that may pause, resume and re-assign any customer.
CUSTOMER_MANAGER_ROLES = (Role.FINANCE, Role.ADMIN)


def may_read_balances(roles: frozenset[Role]) -> bool:
    return can_read_balances(roles)


def may_pause_any_customer(roles: frozenset[Role]) -> bool:
    return bool(roles & set(CUSTOMER_MANAGER_ROLES))


def may_pause(roles: frozenset[Role], user_id: str, customer_owner_user_id: str | None) -> bool:
    """Finance and admins pause or resume any customer; a customer's owner pauses or resumes that customer."""
    if may_pause_any_customer(roles):
        return True
    return customer_owner_user_id is not None and customer_owner_user_id == user_id


def may_change_owner(roles: frozenset[Role]) -> bool:
    return bool(roles & set(CUSTOMER_MANAGER_ROLES))
