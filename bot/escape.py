"""Escaping of user-supplied text before it goes into a Slack message."""


def escape_mrkdwn(text: object) -> str:
    """Escape `&`, `<` and `>`, so that text such as `<!channel>` shows as typed and pings nobody.

    Slack's message formatting treats exactly these three characters as control
    characters; every other character is shown as it is.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
