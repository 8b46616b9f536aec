"""The yearly cycle: opening a year, the commune portal, the district's review, finalizing and reopening."""
