"""The archive plugin registers nothing in the admin: its pages appear in the page tree."""
