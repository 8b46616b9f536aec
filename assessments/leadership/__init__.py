"""Leadership collectives and leaders (issue 16): the services that write collectives, positions and their ratings,
the reads in a user's scope, the admin and the demo data; the rules are in rules/collectives.py and
regulation/leaders.py."""
