"""The yearly cycle: services, the commune portal and the district's review."""
