"""epilint: a linter for podcast episode pages of static sites (Jekyll first)."""

__version__ = "0.1.0"

#: Where users learn about epilint (SARIF ``informationUri``, the GitHub Action).
HOMEPAGE = "https://github.com/epilint/epilint"
#: The generated rule reference; each rule has an anchor there (``docgen.anchor``).
RULES_DOC_URL = f"{HOMEPAGE}/blob/main/docs/rules.md"
