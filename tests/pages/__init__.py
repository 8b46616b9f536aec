"""The dashboard, the unit and member lists and the unit page."""
