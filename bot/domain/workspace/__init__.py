"""What work in a workspace stands on: its Web API client (the one place a token is
chosen), who is an admin, Enterprise Grid access, and the outbox of effects owed to Slack."""
