"""arrears: a Slack app that helps finance and sales teams collect overdue invoices."""
