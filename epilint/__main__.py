from epilint.cli import entry

entry()
