"""A Slack user's name and email from users.info, for creating an owner row."""

from __future__ import annotations

from enum import StrEnum

from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.store.customer_changes import SlackProfile


class ProfileProblem(StrEnum):
    NOT_FOUND = "not_found"
    DEACTIVATED = "deactivated"
    BOT = "bot"


class UnknownSlackUser(Exception):
    """Raised when users.info finds no such user, or the user is deactivated or a bot."""

    def __init__(self, user_id: str, problem: ProfileProblem) -> None:
        super().__init__(f"Slack user {user_id} cannot own customers: {problem}")
        self.user_id = user_id
        self.problem = problem


def fetch_profile(services: Services, user_id: str) -> SlackProfile:
    """Read a user's display name and email with users.info.

    Raises UnknownSlackUser for a missing, deactivated or bot user, and SlackApiError for any other failure.
    """
    try:
        response = services.slack.users_info(user=user_id)
    except SlackApiError as error:
        if error.response.get("error") == "user_not_found":
            raise UnknownSlackUser(user_id, ProfileProblem.NOT_FOUND) from error
        raise

    user = response.get("user") or {}
    if user.get("deleted"):
        raise UnknownSlackUser(user_id, ProfileProblem.DEACTIVATED)
    if user.get("is_bot"):
        raise UnknownSlackUser(user_id, ProfileProblem.BOT)

    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
    return SlackProfile(user_id=user_id, display_name=(name or user_id)[:255], email=profile.get("email") or None)
