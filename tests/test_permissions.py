from datetime import datetime, timedelta, timezone

import pytest

from bot.permissions import Permissions, Role, can_act_on_card, can_escalate, can_read_balances
from bot.store.db import transaction
from bot.store.models import Owner
from tests.slack_standin import SlackStandIn

NOW = datetime(2026, 3, 16, tzinfo=timezone.utc)


@pytest.fixture
def standin():
    with SlackStandIn() as slack:
        yield slack


def _services(make_services, database_url, standin, **overrides):
    return make_services(database_url, slack_bot_token="xoxb-test", slack_signing_secret="secret",
                         slack_api_url=standin.api_url, **overrides)


def test_roles_from_users_and_groups(database_url, make_services, standin):
    standin.usergroups["S0FINANCE"] = ["U0FIN2"]
    services = _services(make_services, database_url, standin, finance=("U0FIN1", "S0FINANCE"),
                         legal=("U0LAW",), admins=("U0BOSS",))
    with transaction(services.sessions) as session:
        session.add(Owner(key="alice@example.com", display_name="Alice", slack_user_id="U0ALICE",
                          created_at=NOW, updated_at=NOW))
    permissions = Permissions(services)

    with services.sessions() as session:
        assert permissions.roles_of(session, "U0FIN1") == {Role.FINANCE}
        assert permissions.roles_of(session, "U0FIN2") == {Role.FINANCE}
        assert permissions.roles_of(session, "U0LAW") == {Role.LEGAL}
        assert permissions.roles_of(session, "U0BOSS") == {Role.ADMIN}
        assert permissions.roles_of(session, "U0ALICE") == {Role.OWNER}
        assert permissions.roles_of(session, "U0NOBODY") == frozenset()


def test_usergroup_members_cached(sqlite_url, make_services, standin, clock):
    standin.usergroups["S0FINANCE"] = ["U0FIN2"]
    services = _services(make_services, sqlite_url, standin, finance=("S0FINANCE",))
    permissions = Permissions(services)
    with services.sessions() as session:
        permissions.roles_of(session, "U0FIN2")
        permissions.roles_of(session, "U0OTHER")
        assert len(standin.calls_to("usergroups.users.list")) == 1

        clock.set(clock.now() + timedelta(minutes=11))
        permissions.roles_of(session, "U0FIN2")
        assert len(standin.calls_to("usergroups.users.list")) == 2


def test_unreadable_usergroup_grants_nothing(sqlite_url, make_services, standin):
    services = _services(make_services, sqlite_url, standin, finance=("S0MISSING",))
    with services.sessions() as session:
        assert Permissions(services).roles_of(session, "U0ANY") == frozenset()


def test_card_actions_by_role():
    assert can_act_on_card(frozenset({Role.OWNER}), "U1", "U1")
    assert not can_act_on_card(frozenset({Role.OWNER}), "U2", "U1")
    assert can_act_on_card(frozenset({Role.FINANCE}), "U2", "U1")
    assert can_act_on_card(frozenset({Role.ADMIN}), "U2", None)
    assert not can_act_on_card(frozenset({Role.LEGAL}), "U2", "U1")


def test_escalation_to_legal_needs_legal():
    assert not can_escalate(frozenset({Role.OWNER}), "U1", "U1", "legal")
    assert not can_escalate(frozenset({Role.FINANCE}), "U2", "U1", "legal")
    assert can_escalate(frozenset({Role.LEGAL}), "U3", "U1", "legal")
    assert can_escalate(frozenset({Role.ADMIN}), "U4", "U1", "legal")
    assert can_escalate(frozenset({Role.OWNER}), "U1", "U1", "finance")


def test_balances_hidden_from_outsiders():
    assert not can_read_balances(frozenset())
    assert can_read_balances(frozenset({Role.LEGAL}))
