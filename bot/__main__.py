"""``python -m bot`` is the ``earshot`` command."""

from bot.cli.main import main

main()
