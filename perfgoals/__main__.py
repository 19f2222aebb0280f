from perfgoals.cli import run

run()
