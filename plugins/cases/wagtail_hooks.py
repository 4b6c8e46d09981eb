"""Cases are pages: they appear in the page explorer; nothing else to register."""
