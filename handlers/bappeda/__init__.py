"""What Bappeda staff do in the chat: the summary on demand."""
