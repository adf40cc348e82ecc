"""Staff pages for coding open answers."""
