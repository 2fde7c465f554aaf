"""Webhook: an HTTP request of the user's design per status change (integrations spec §3.2)."""
