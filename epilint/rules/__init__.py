"""Rule modules; each registers its rules with ``@rule`` when imported."""
