"""Block Kit messages built by pure functions from domain data and a Translator."""
