"""Commands and answers everyone meets: greeting, consent, menu, help, cancel, data deletion."""
