"""Pure rules of platform governance (no database, no HTTP): categories, the escalation ladder,
identifier masking and notice counts."""
