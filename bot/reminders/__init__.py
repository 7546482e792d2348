"""Reminder cards: which overdue invoices to chase, whom to send them to, and the card itself.

- `selection` picks the invoices and groups them per owner and customer.
- `recipients` finds the Slack user or channel for an owner.
- `card` builds the Block Kit card, and `card_data` loads what a card shows from the store.
- `claims` keeps each card to one send per recipient, customer and day.
- `buttons` and `clicks` define the card's buttons and record presses on them.
- `outcomes` and `dry_run` report what a run did, or would do.

`bot.jobs.reminders` uses them to send the day's cards.
"""
