"""The dashboard, the unit and member lists and the unit page: reads and views over one organization in scope."""
