"""One notification outbox for every area: who was told what, when, and through which channel."""
