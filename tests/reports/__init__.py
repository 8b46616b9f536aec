"""The yearly results report: figures, files and pages."""
