"""One module per command of the CLI; each has configure(parser) and run(args) -> int."""
