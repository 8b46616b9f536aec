"""Tests of the regulation by period (issue 14): the periods and their rules, each rule on both sides of its
threshold, overrides, discipline records and their import, and the check_ratings command."""
