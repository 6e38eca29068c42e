"""`course serve`: build, serve the output on 127.0.0.1, rebuild on change, reload the open pages."""
