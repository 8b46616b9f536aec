"""Code both apps use: Vietnamese text and collation, upload checks, spreadsheet and PDF output, counting words."""
