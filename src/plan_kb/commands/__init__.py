"""One module per ``plan-kb`` subcommand."""
