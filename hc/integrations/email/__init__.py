"""The Email integration: alerts by SMTP, address verification, unsubscribe links."""
