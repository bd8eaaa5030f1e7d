"""The user's JSON Schema: loading it safely (``load``) and a jsonschema-exact fast
validity check for its common subset (``fast``)."""
