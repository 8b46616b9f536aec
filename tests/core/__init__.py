"""Models, the admin, the demo loader and translations."""
