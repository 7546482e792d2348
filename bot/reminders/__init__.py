"""Reminder cards: which overdue invoices to chase, whom to send them to, and the card itself.

- `selection` runs the dunning engine on each open invoice (loaded by `invoice_states`)
  and groups the reminders per owner and customer.
- `recipients` finds the Slack user or channel for an owner.
- `card` builds the Block Kit card, and `card_data` loads what a card shows from the store;
  `group_card` loads a planned card, pre-due invoices included.
- `level_notices` notifies a level's extra users and channel when invoices reach it.
- `claims` keeps each card to one send per recipient, customer and day.
- `buttons` and `clicks` define the card's buttons and record presses on them.
- `outcomes`, `dry_run` and `run_labels` report what a run did, or would do.

`bot.jobs.reminders` uses them to send the day's cards.
"""
