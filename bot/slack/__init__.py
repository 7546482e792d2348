"""Talking to the Slack Web API."""
