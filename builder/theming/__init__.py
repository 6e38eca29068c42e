"""The theme as code sees it: the Jinja2 environment, typed page contexts, and the stylesheets the build makes."""
