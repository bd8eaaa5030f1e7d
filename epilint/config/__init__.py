"""Settings: the frozen records (``settings``), the config file's parser (``file``) and
finding the file (``discovery``). Nothing here knows the rules."""
