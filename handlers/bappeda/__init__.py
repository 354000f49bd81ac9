"""What Bappeda (the planning agency) does in the chat: calendar, invites, results, corrections."""
