"""The rules, one module per family (FM frontmatter, YT yamltypes, EP episode, LN links,
CO collection); each rule is a decorated function (``epilint/lint/registry.py``)."""
