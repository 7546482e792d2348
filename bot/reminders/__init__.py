"""Reminder cards: which overdue invoices to chase, whom to send them to, and the card itself.

`selection` picks the invoices and groups them per owner and customer, `recipients` finds the
Slack user or channel for an owner, `card` builds the Block Kit card, `card_data` loads what a
card shows from the store, `claims` keeps each card to one send per day, and `clicks` records
the card's buttons. `bot.jobs.reminders` runs them in order.
"""
