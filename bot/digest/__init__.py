"""The weekly improvement digest: periods, statistics, building, rendering, posting, CLI."""
