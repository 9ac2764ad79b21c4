"""DMs that batch what happened: process owners' complaint alerts and account owners'
customer notes."""
