"""The read API (v1) and its tokens: viewsets, serializers and URLs, each scoped to the caller."""
