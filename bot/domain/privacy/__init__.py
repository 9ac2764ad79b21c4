"""What Earshot forgets and what leaves it: retention, erasure and uninstall,
redaction at capture, and admins' exports."""
