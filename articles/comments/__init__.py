"""Reader comments: posting, spam defences, moderation, email, feeds (docs/comments.md)."""
