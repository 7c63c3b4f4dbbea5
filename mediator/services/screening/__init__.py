"""矛盾纠纷排查: rounds planned per village/community or grid (``planning``), the record of a held
round with its findings (``recording``), and the list the page, the command line, the reminders and
the statistics read (``rows``)."""
