"""The rules layer (assessments/rules): each case fed to every write path, which must give the same answer."""
