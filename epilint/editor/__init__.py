"""The editor integration: ``epilint server``, a Language Server (pygls) over stdio."""
