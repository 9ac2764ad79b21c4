"""The domain: capturing, filing and correcting remarks, processes, customers, watched
channels, owner alerts. It knows storage and Slack's shapes, never the server or a CLI."""
