"""The ways out of a build: the site writer (the only module that writes the site)."""
