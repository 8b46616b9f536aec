"""The regulation by period (issue 14): which rules bind in a year and with which numbers (periods), the checks of
units (units) and of members (members), discipline records (services), and every check of a subtree with its
overrides (run: the check_ratings command and the officers' page). The submission's checks are assembled in
assessments.cycle.regulation; the rules' rows are data (models.regulation, loaded by migration 0011)."""
