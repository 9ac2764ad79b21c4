"""Closing the loop: improvements and their statuses, *Did it work?*, the tracker
webhooks, replies in customers' threads, and praise reaching the team."""
