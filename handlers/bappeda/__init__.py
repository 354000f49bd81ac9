"""What Bappeda (the planning agency) does in the chat."""
