"""The links of a page's body: extraction with source spans (``extract``, ``simple``),
reading and editing URLs (``urls``), the built-in lists (``lists``) and the record of an
online check (``status``)."""
