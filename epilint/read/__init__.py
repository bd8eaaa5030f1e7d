"""Reading a file as Jekyll reads it: bounded bytes and decoding (``source``), the front
matter split (``document``), YAML as Ruby's Psych reads it (``yaml11``), line/column
positions (``positions``) and suppression comments (``suppress``)."""
