"""Pure checks: the ledger walk, cross-references, severities. No I/O."""
