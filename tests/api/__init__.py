"""The read API and its tokens."""
