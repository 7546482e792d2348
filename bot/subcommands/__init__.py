"""The subcommands of `/arrears`: each module reads or changes the store and returns a reply built in bot.messages."""
