"""Linting one document: what a rule sees (``context``), the rule contract and registry
(``registry``), the analyses rules share (``facts``, ``schema_findings``), the records a
lint produces (``results``) and the linter itself (``linter``)."""
