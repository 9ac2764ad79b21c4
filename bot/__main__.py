"""``python -m bot`` is the ``earshot`` command."""

from bot.cli import main

main()
