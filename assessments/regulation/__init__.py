"""The regulation by period (issue 14): which rules bind in a year and with which numbers (periods), where each
binds once the committees' settings are read (switches), the subtree's facts the unit rules judge, loaded once
(facts), the checks of units (units) and of members (members), discipline records and rule settings (services),
and every check of a subtree with its overrides (run: the check_ratings command and the officers' page). The
submission's checks are assembled in assessments.cycle.regulation; the rules' rows are data (models.regulation,
loaded by migrations 0011 and 0015)."""
