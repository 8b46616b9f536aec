"""The yearly results report: its figures, its renderings (HTML, XLSX, PDF, SVG charts) and its pages."""
